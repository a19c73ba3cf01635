/**
 * Requests from other sites: every POST the app registers is refused (403, a readable page) when
 * another site sends it, whatever it claims and whatever the body's type, even though it carries
 * the victim's cookies and a valid key; the database is unchanged. Every WebSocket route refuses an
 * upgrade from a foreign Origin or without one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSameOriginWrite } from '../../src/middleware/csrf.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { CookieJar, ORIGIN, textOf } from '../helpers/http.ts';
import { concretePath, countSocketRoutesInSource, registeredRoutes, SOCKET_ROUTES } from '../helpers/routes.ts';
import { connectLive, startServer, type TestServer } from '../helpers/server.ts';
import { snapshotDatabase } from '../helpers/snapshot.ts';
import { buildWorld, type World } from '../helpers/world.ts';

/** What a page on another site (or a forger) can make a browser send. */
const FOREIGN_HEADERS: Record<string, Record<string, string>> = {
  'a foreign Origin (browser without Sec-Fetch-Site)': { origin: 'https://evil.example' },
  'a foreign Origin, cross-site': { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
  'Sec-Fetch-Site: cross-site, no Origin': { 'sec-fetch-site': 'cross-site' },
  'Sec-Fetch-Site: cross-site claiming our Origin': { 'sec-fetch-site': 'cross-site', origin: ORIGIN },
  'a sibling site (same-site)': { 'sec-fetch-site': 'same-site', origin: 'http://evil.localhost' },
  'Origin: null without Sec-Fetch-Site': { origin: 'null' },
  'Origin: null, cross-site (sandboxed frame, data: URL)': { origin: 'null', 'sec-fetch-site': 'cross-site' },
  'neither header': {},
};

/** Bodies of every type: forms can send the first three without a preflight. */
const BODIES: Record<string, { type: string; body: string }> = {
  form: { type: 'application/x-www-form-urlencoded', body: 'name=Mallory&title=Mine&timeZone=UTC' },
  multipart: {
    type: 'multipart/form-data; boundary=x',
    body: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nMallory\r\n--x--\r\n',
  },
  'text/plain': { type: 'text/plain', body: 'name=Mallory' },
  json: { type: 'application/json', body: '{"name":"Mallory"}' },
};

describe('the same-origin rule', () => {
  it('lets Sec-Fetch-Site decide when it is sent, and Origin only when it is not', () => {
    const url = 'http://localhost/s/x/release';
    // The site's origin is PUBLIC_URL's, a trusted proxy's, or the request's own (request-context).
    const allowed = (secFetchSite: string | undefined, origin: string | undefined, siteOrigin = new URL(url).origin) =>
      isSameOriginWrite({ secFetchSite, origin }, siteOrigin, url);
    expect(allowed('same-origin', ORIGIN)).toBe(true);
    expect(allowed('same-origin', 'null')).toBe(true); // our no-referrer page's form
    expect(allowed(undefined, ORIGIN)).toBe(true); // an old browser on our page
    expect(allowed(undefined, 'https://meet.example.org', 'https://meet.example.org')).toBe(true); // behind a proxy
    expect(allowed('cross-site', ORIGIN)).toBe(false);
    expect(allowed('same-site', ORIGIN)).toBe(false);
    expect(allowed('none', ORIGIN)).toBe(false);
    expect(allowed(undefined, 'null')).toBe(false);
    expect(allowed(undefined, undefined)).toBe(false);
    expect(allowed(undefined, 'http://localhost.evil.example')).toBe(false);
    expect(allowed(undefined, 'https://localhost')).toBe(false); // another scheme is another origin
  });
});

describe.each(databaseKinds)('requests from other sites on %s', (kind) => {
  const database = useTestDatabase(kind);
  let t: TestApp;
  let world: World;
  let victim: CookieJar;
  let assetFile: string;

  // The database is emptied before each test, so each builds the world afresh.
  beforeEach(async () => {
    t = createTestApp(database.current.db, { config: { bookingRateLimit: 100_000, registrationRateLimit: 100_000 } });
    world = await buildWorld(t, database.current.db);
    // The victim is signed in as Ann and holds schedule A's booking: a forged request carries both.
    victim = new CookieJar();
    victim.set('session', world.ann.cookies.get('session')!);
    victim.set('visitor', world.a.booker.cookies.get('visitor')!);
    assetFile = t.assets.urls.css.split('/').pop()!;
  });

  describe('sockets', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startServer(t.app);
    });
    afterEach(async () => {
      await t.live.close();
      await server.close();
    });

    it('knows every socket route, and each refuses an upgrade from a foreign Origin or without one', async () => {
      const gets = registeredRoutes(t);
      for (const route of SOCKET_ROUTES) expect(gets, route).toContain(route);
      expect(countSocketRoutesInSource(), 'socket routes in src/routes: add new ones to SOCKET_ROUTES').toBe(
        SOCKET_ROUTES.length,
      );
      const ws = server.url.replace('http', 'ws');
      let refused = 0;
      for (const route of SOCKET_ROUTES) {
        const url = `${ws}${concretePath(route.slice('GET '.length), world, assetFile)}`;
        for (const origin of [
          'https://evil.example',
          'null',
          'http://evil.localhost',
          `${server.origin}.evil.example`,
          undefined,
        ]) {
          await expect(
            connectLive(url, { cookie: victim.header(), ...(origin ? { origin } : {}) }),
            `${route} from ${origin}`,
          ).rejects.toThrow('upgrade refused: 403');
          refused += 1;
        }
        // From our own page, with the same cookies, it opens.
        const own = await connectLive(url, { cookie: victim.header(), origin: server.origin });
        own.close();
      }
      console.log(`cross-site (${kind}): ${refused} foreign socket upgrades refused on ${SOCKET_ROUTES.length} routes`);
    });
  });

  it('refuses every POST route from another site, for every body type, with a readable 403 and nothing changed', async () => {
    const posts = registeredRoutes(t).filter((r) => r.startsWith('POST '));
    expect(posts.length).toBeGreaterThan(25);
    const before = await snapshotDatabase(database.current.db);
    let tried = 0;
    for (const route of posts) {
      const path = concretePath(route.slice('POST '.length), world, assetFile);
      for (const [who, headers] of Object.entries(FOREIGN_HEADERS)) {
        for (const [bodyName, { type, body }] of Object.entries(BODIES)) {
          const response = await t.app.request(path, {
            method: 'POST',
            body,
            headers: { 'content-type': type, cookie: victim.header(), ...headers },
          });
          const label = `${route} with ${who}, ${bodyName} body`;
          expect.soft(response.status, label).toBe(403);
          if (bodyName === 'form')
            expect.soft(textOf(await response.text()), label).toContain('That request came from somewhere else');
          tried += 1;
        }
      }
      // htmx from another site gets the message in the flash area.
      const htmx = await t.app.request(path, {
        method: 'POST',
        body: 'x=1',
        headers: {
          'content-type': BODIES.form!.type,
          cookie: victim.header(),
          'hx-request': 'true',
          origin: 'https://evil.example',
        },
      });
      expect.soft(htmx.status, `${route} htmx`).toBe(403);
      expect.soft(htmx.headers.get('hx-retarget'), `${route} htmx`).toBe('#flash');
    }
    expect(await snapshotDatabase(database.current.db)).toEqual(before);
    console.log(`cross-site (${kind}): ${tried} forged requests on ${posts.length} POST routes`);

    // The same requests from our own pages get through the check (whatever the route then says),
    // so the refusals above were the cross-site rule and not a wrong path.
    for (const route of posts) {
      const path = concretePath(route.slice('POST '.length), world, assetFile);
      const response = await t.app.request(path, {
        method: 'POST',
        body: BODIES.form!.body,
        headers: {
          'content-type': BODIES.form!.type,
          cookie: victim.header(),
          origin: ORIGIN,
          'sec-fetch-site': 'same-origin',
        },
      });
      expect.soft(response.status, `${route} from our own page`).not.toBe(403);
    }
  });
});
