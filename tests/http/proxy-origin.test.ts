/**
 * Behind an HTTPS reverse proxy without PUBLIC_URL: under TRUST_PROXY the site's origin comes from
 * X-Forwarded-Proto and X-Forwarded-Host, so the proxied site's pages may open their sockets, its
 * links are absolute to it and its cookies are Secure. Without TRUST_PROXY those headers are
 * whatever a client claims and are ignored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { forwardedOrigin } from '../../src/middleware/request-context.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf } from '../helpers/http.ts';
import { connectLive, startServer, type TestServer } from '../helpers/server.ts';

const PROXIED = 'https://meet.example.org';
/** What an HTTPS proxy in front of the app adds to every request it passes on. */
const FORWARDED = {
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'meet.example.org',
  'x-forwarded-for': '203.0.113.9',
};

describe('forwardedOrigin', () => {
  const from = (headers: Record<string, string>) => forwardedOrigin((name) => headers[name]);
  it('takes the scheme and host the outermost proxy saw, and refuses what is not a host', () => {
    expect(from(FORWARDED)).toBe(PROXIED);
    expect(from({ 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'meet.example.org:8443, internal' })).toBe(
      'https://meet.example.org:8443',
    );
    expect(from({ 'x-forwarded-proto': 'https', host: 'app.example.org' })).toBe('https://app.example.org');
    expect(from({ 'x-forwarded-proto': 'HTTPS', 'x-forwarded-host': '[2001:db8::1]:443' })).toBe(
      'https://[2001:db8::1]:443',
    );
    for (const bad of <Record<string, string>[]>[
      { 'x-forwarded-host': 'meet.example.org' }, // no scheme
      { 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'meet.example.org' },
      { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example/path' },
      { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'user@evil.example' },
      { 'x-forwarded-proto': 'https', 'x-forwarded-host': '' },
    ]) {
      expect(from(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe.each(databaseKinds)('behind an HTTPS proxy on %s', (kind) => {
  const database = useTestDatabase(kind);
  let t: TestApp;
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await t?.live.close();
  });

  /** A form POST from a page of the proxied site, through the proxy (`forwarded`) or not. */
  const postThrough = (path: string, form: Record<string, string>, forwarded: Record<string, string>) =>
    t.app.request(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...forwarded },
    });
  const createSchedule = (forwarded: Record<string, string>) =>
    postThrough(paths.createSchedule(), { title: 'Office hours', hostName: 'Mary', timeZone: 'UTC' }, forwarded);
  /** Registering signs in: the answer sets the session cookie. */
  const register = (forwarded: Record<string, string>) =>
    postThrough(
      '/register',
      { username: 'proxied', password: 'a good password', displayName: 'Proxied', timeZone: 'UTC' },
      forwarded,
    );

  it('under TRUST_PROXY: sockets from the proxied site open, cookies are Secure, links point at it', async () => {
    t = createTestApp(database.current.db, { config: { trustProxy: true, publicUrl: undefined } });
    server = await startServer(t.app);
    const created = await createSchedule(FORWARDED);
    expect(created.status).toBe(303);
    const adminKey = adminKeyOf(created.headers.get('location')!);
    const dashboard = await t.app.request(paths.admin(adminKey), { headers: FORWARDED });
    expect(await dashboard.text()).toContain(`${PROXIED}/s/`); // the scheduling link to hand out
    const registered = await register(FORWARDED);
    expect(registered.status).toBe(303);
    const setCookies = registered.headers.getSetCookie();
    expect(setCookies.some((cookie) => cookie.startsWith('session='))).toBe(true);
    for (const cookie of setCookies) expect(cookie).toMatch(/;\s*Secure/i);

    const url = `${server.url.replace('http', 'ws')}${paths.adminLive(adminKey)}`;
    const socket = await connectLive(url, { origin: PROXIED, headers: FORWARDED });
    socket.close();
    await expect(connectLive(url, { origin: 'https://evil.example', headers: FORWARDED })).rejects.toThrow(
      'upgrade refused: 403',
    );
  });

  it('without it: forwarded headers are ignored, so the proxied site’s sockets are refused and cookies are not Secure', async () => {
    t = createTestApp(database.current.db, { config: { trustProxy: false, publicUrl: undefined } });
    server = await startServer(t.app);
    const created = await createSchedule(FORWARDED);
    expect(created.status).toBe(303);
    const adminKey = adminKeyOf(created.headers.get('location')!);
    expect(await (await t.app.request(paths.admin(adminKey), { headers: FORWARDED })).text()).not.toContain(
      `${PROXIED}/s/`,
    );
    const registered = await register(FORWARDED);
    expect(registered.status).toBe(303);
    const setCookies = registered.headers.getSetCookie();
    expect(setCookies.some((cookie) => cookie.startsWith('session='))).toBe(true);
    for (const cookie of setCookies) expect(cookie).not.toMatch(/;\s*Secure/i);
    const url = `${server.url.replace('http', 'ws')}${paths.adminLive(adminKey)}`;
    await expect(connectLive(url, { origin: PROXIED, headers: FORWARDED })).rejects.toThrow('upgrade refused: 403');
  });
});
