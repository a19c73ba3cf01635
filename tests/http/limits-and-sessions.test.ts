/**
 * Rate limits and sessions, each claim with a test that fails if it breaks: booking, releasing,
 * login and registration are limited per client address (429 with a message and Retry-After,
 * nothing saved), configurable, with defaults a person never meets (the login and registration
 * limits in depth: login-limits.test.ts); X-Forwarded-For counts only
 * under TRUST_PROXY, and then only the address the proxy appended. Sessions rotate on login and
 * registration (a cookie planted before is worthless after), die on logout, and all die on a
 * password change; pages left open on a session that died are told so and closed, on the spot.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionIdOf } from '../../src/auth/session.ts';
import { loadConfig } from '../../src/config.ts';
import { attemptLimits, sessions, users } from '../../src/db/schema.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { CookieJar, elementById, get, loginAs, post, registerAs, textOf } from '../helpers/http.ts';
import { CLOSE_SESSION_ENDED } from '../../src/realtime/account-feed.tsx';
import { ids } from '../../views/ids.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';
import { snapshotDatabase } from '../helpers/snapshot.ts';
import { buildWorld } from '../helpers/world.ts';

const register = (t: TestApp, username: string, headers: Record<string, string> = {}, jar = new CookieJar()) =>
  post(
    t.app,
    paths.register(),
    { displayName: username, username, password: 'a good password', timeZone: 'UTC' },
    { jar, headers },
  );

describe('limits in the configuration', () => {
  it('has defaults no person clicking meets, and takes each from the environment', () => {
    const defaults = loadConfig({});
    expect(defaults.bookingRateLimit).toBe(30); // per address per minute
    expect(defaults.loginMaxFailuresPerAccount).toBe(10);
    expect(defaults.loginAccountMaxWaitMs).toBe(15 * 60_000); // the longest an account's owner waits
    expect(defaults.loginMaxFailuresPerAddress).toBe(50);
    expect(defaults.loginFailureWindowMs).toBe(15 * 60_000);
    expect(defaults.registrationRateLimit).toBe(20); // per address per hour
    expect(defaults.trustProxy).toBe(false);
    const set = loadConfig({
      BOOKING_RATE_LIMIT: '5',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      LOGIN_ACCOUNT_MAX_WAIT_SECONDS: '60',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '7',
      LOGIN_FAILURE_WINDOW_MINUTES: '2',
      REGISTRATION_RATE_LIMIT: '4',
      TRUST_PROXY: 'true',
    });
    expect(set).toMatchObject({
      bookingRateLimit: 5,
      loginMaxFailuresPerAccount: 3,
      loginAccountMaxWaitMs: 60_000,
      loginMaxFailuresPerAddress: 7,
      loginFailureWindowMs: 120_000,
      registrationRateLimit: 4,
      trustProxy: true,
    });
    expect(() => loadConfig({ BOOKING_RATE_LIMIT: '0' })).toThrow(/BOOKING_RATE_LIMIT/);
    expect(() => loadConfig({ REGISTRATION_RATE_LIMIT: 'lots' })).toThrow(/REGISTRATION_RATE_LIMIT/);
    expect(() => loadConfig({ LOGIN_ACCOUNT_MAX_WAIT_SECONDS: '0' })).toThrow(/LOGIN_ACCOUNT_MAX_WAIT_SECONDS/);
  });
});

describe.each(databaseKinds)('rate limits on %s', (kind) => {
  const database = useTestDatabase(kind);
  // Login and registration counts live in the database, shared by every app on it: start empty.
  beforeEach(async () => {
    await database.current.db.delete(attemptLimits);
  });

  it('limits claims, moves and releases together per address, and manage-link releases, with a readable 429', async () => {
    const t = createTestApp(database.current.db, { config: { bookingRateLimit: 10_000 } });
    const world = await buildWorld(t, database.current.db);
    const limited = createTestApp(database.current.db, { config: { bookingRateLimit: 3 } });
    const { a } = world;
    const before = await snapshotDatabase(database.current.db);
    // Three refusals for other reasons use up the minute; the fourth try is refused for the rate.
    expect(
      (
        await post(
          limited.app,
          paths.claimSlot(a.publicId, a.slotIds[0]),
          { name: 'X', email: '' },
          { jar: new CookieJar(), htmx: true },
        )
      ).status,
    ).toBe(409);
    expect(
      (
        await post(
          limited.app,
          paths.moveBooking(a.publicId, a.slotIds[0]),
          { name: 'X', email: '' },
          { jar: a.other, htmx: true },
        )
      ).status,
    ).toBe(409);
    expect((await post(limited.app, paths.release(a.publicId), {}, { jar: new CookieJar(), htmx: true })).status).toBe(
      409,
    );
    const over = await post(limited.app, paths.release(a.publicId), {}, { jar: a.booker, htmx: true });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(textOf(await over.text())).toContain('Too many booking requests came from your network. Wait');
    expect(await snapshotDatabase(database.current.db)).toEqual(before); // the booking is still there

    for (let i = 0; i < 3; i++) await post(limited.app, paths.manageRelease('q'.repeat(32)), {});
    const manage = await post(limited.app, paths.manageRelease(a.manageKey), {});
    expect(manage.status).toBe(429);
    expect(textOf(await manage.text())).toContain('Too many tries');
    expect(await snapshotDatabase(database.current.db)).toEqual(before);
  });

  it('limits new accounts per address with a readable 429, creating none', async () => {
    const t = createTestApp(database.current.db, { config: { registrationRateLimit: 2 } });
    expect((await register(t, 'ann')).status).toBe(303);
    expect((await register(t, 'bo')).status).toBe(303);
    const third = await register(t, 'cy');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(textOf(await third.text())).toContain('Too many accounts were created from your network. Try again later.');
    expect(await findUserByUsername(database.current.db, 'cy')).toBeNull();
    expect(await database.current.db.select().from(users)).toHaveLength(2);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is on, and then counts only the address the proxy added', async () => {
    const direct = createTestApp(database.current.db, { config: { registrationRateLimit: 1, trustProxy: false } });
    expect((await register(direct, 'ann', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(303);
    // A client cannot buy itself a fresh allowance by claiming another address.
    expect((await register(direct, 'bo', { 'x-forwarded-for': '198.51.100.2' })).status).toBe(429);

    const proxied = createTestApp(database.current.db, { config: { registrationRateLimit: 1, trustProxy: true } });
    expect((await register(proxied, 'cy', { 'x-forwarded-for': '203.0.113.7' })).status).toBe(303);
    expect((await register(proxied, 'dee', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(303); // another person behind the proxy
    // What the client wrote before the proxy's entry is ignored.
    expect((await register(proxied, 'eve', { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' })).status).toBe(429);
    expect((await register(proxied, 'fay', { 'x-forwarded-for': '203.0.113.7, 10.1.1.1' })).status).toBe(303); // 10.1.1.1 is new
  });

  it('limits failed logins per address under TRUST_PROXY by the proxy’s address, not the client’s claim', async () => {
    const t = createTestApp(database.current.db, {
      config: { trustProxy: true, loginMaxFailuresPerAddress: 2, loginMaxFailuresPerAccount: 100 },
    });
    await registerAs(t.app, 'ann');
    const attempt = (xff: string, password = 'wrong password') =>
      post(t.app, paths.login(), { username: 'ann', password }, { headers: { 'x-forwarded-for': xff } });
    expect((await attempt('1.1.1.1, 203.0.113.9')).status).toBe(401);
    expect((await attempt('2.2.2.2, 203.0.113.9')).status).toBe(401);
    const blocked = await attempt('3.3.3.3, 203.0.113.9', 'a good password');
    expect(blocked.status).toBe(429);
    expect(textOf(await blocked.text())).toContain('too many failed logins');
    expect((await attempt('203.0.113.10', 'a good password')).status).toBe(303); // someone else
  });
});

describe.each(databaseKinds)('sessions on %s', (kind) => {
  const database = useTestDatabase(kind);

  async function signedIn(t: TestApp, jar: CookieJar): Promise<string | null> {
    const response = await get(t.app, paths.profile(), { jar });
    if (response.status !== 200) return null;
    return /Signed in as ([a-z0-9_-]+)\./.exec(textOf(await response.text()))?.[1] ?? null;
  }

  const jarWith = (token: string) => {
    const jar = new CookieJar();
    jar.set('session', token);
    return jar;
  };

  it('rotates on login: a cookie planted before is replaced, and is worthless after', async () => {
    const t = createTestApp(database.current.db);
    await registerAs(t.app, 'ann');
    const mallory = await registerAs(t.app, 'mallory');
    const plantedValid = mallory.cookies.get('session')!;
    const plantedMadeUp = 'q'.repeat(32);
    for (const planted of [plantedMadeUp, plantedValid]) {
      const victim = jarWith(planted);
      const { response } = await loginAs(t.app, 'ann', 'a good password', victim);
      expect(response.status).toBe(303);
      const issued = victim.cookies.get('session')!;
      expect(issued).not.toBe(planted);
      expect(await signedIn(t, victim)).toBe('ann');
      // Whoever planted the cookie does not get Ann's session with it.
      expect(await signedIn(t, jarWith(planted))).toBeNull();
    }
    // Mallory's own session was the one planted: it ended rather than becoming Ann's.
    expect(
      await database.current.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdOf(plantedValid))),
    ).toHaveLength(0);
  });

  it('rotates on registration too', async () => {
    const t = createTestApp(database.current.db);
    const planted = 'r'.repeat(32);
    const jar = jarWith(planted);
    expect((await register(t, 'ann', {}, jar)).status).toBe(303);
    expect(jar.cookies.get('session')).not.toBe(planted);
    expect(await signedIn(t, jar)).toBe('ann');
    expect(await signedIn(t, jarWith(planted))).toBeNull();
  });

  it('dies on logout: the same cookie sent again is refused, and its row is gone', async () => {
    const t = createTestApp(database.current.db);
    const jar = await registerAs(t.app, 'ann');
    const token = jar.cookies.get('session')!;
    expect((await post(t.app, paths.logout(), {}, { jar })).status).toBe(303);
    expect(await signedIn(t, jarWith(token))).toBeNull();
    const again = await get(t.app, paths.rooms(), { jar: jarWith(token) });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(/^\/login/);
    expect(
      await database.current.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdOf(token))),
    ).toHaveLength(0);
  });

  it('all die on a password change, this browser’s old cookie included; only the new one works', async () => {
    const t = createTestApp(database.current.db);
    const here = await registerAs(t.app, 'ann');
    const oldHere = here.cookies.get('session')!;
    const phone = (await loginAs(t.app, 'ann')).jar;
    const laptop = (await loginAs(t.app, 'ann')).jar;
    const changed = await post(
      t.app,
      paths.profilePassword(),
      { currentPassword: 'a good password', newPassword: 'a better password' },
      { jar: here },
    );
    expect(changed.status).toBe(200);
    expect(here.cookies.get('session')).not.toBe(oldHere);
    expect(await signedIn(t, here)).toBe('ann');
    for (const jar of [phone, laptop, jarWith(oldHere)]) expect(await signedIn(t, jar)).toBeNull();
    const annId = (await findUserByUsername(database.current.db, 'ann'))!.id;
    expect(await database.current.db.select().from(sessions).where(eq(sessions.userId, annId))).toHaveLength(1);
  });
});

describe.each(databaseKinds)('open pages when a session ends, on %s', (kind) => {
  const database = useTestDatabase(kind);
  let server: TestServer | undefined;
  let t: TestApp | undefined;
  const clients: LiveClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await t?.live.close();
    await server?.close();
  });

  const closed = (client: LiveClient) =>
    new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));

  it('tells a page whose session was logged out or lost to a password change, and closes it; other sessions and people stay live', async () => {
    t = createTestApp(database.current.db);
    const world = await buildWorld(t, database.current.db);
    server = await startServer(t.app);
    const page = async (jar: CookieJar) => {
      const client = await connectLive(`${server!.url.replace('http', 'ws')}${paths.accountLive()}`, {
        origin: server!.origin,
        cookie: jar.header(),
      });
      clients.push(client);
      await client.waitFor((m) => m.includes(`id="${ids.popups}"`));
      return client;
    };
    const annPhone = world.ann;
    const annLaptop = (await loginAs(t.app, 'ann')).jar;
    const annTablet = (await loginAs(t.app, 'ann')).jar;
    const [phone, laptop, tablet, bo] = [
      await page(annPhone),
      await page(annLaptop),
      await page(annTablet),
      await page(world.bo),
    ];

    // Logging out on the phone closes the phone's page only.
    const phoneClosed = closed(phone);
    expect((await post(t.app, paths.logout(), {}, { jar: annPhone })).status).toBe(303);
    const told = await phone.waitFor((m) => m.includes('You are logged out on this page'));
    expect(textOf(elementById(told, ids.liveStatus)!)).toBe('Not live');
    expect(told).toContain(`<div id="${ids.popups}" hx-swap-oob="innerHTML"></div>`); // pop-ups cleared
    expect(await phoneClosed).toBe(CLOSE_SESSION_ENDED);
    const laptopMark = laptop.mark();
    await post(t.app, paths.inviteAction(world.pendingInviteId, 'reject'), {}, { jar: world.bo, htmx: true });
    await laptop.waitFor((m) => m.includes('popup-notice-'), { from: laptopMark }); // still live

    // A password change on the laptop ends every page opened before it, the laptop's own included
    // (its cookie was replaced; a reload opens a page on the new session).
    const closes = [closed(laptop), closed(tablet)];
    expect(
      (
        await post(
          t.app,
          paths.profilePassword(),
          { currentPassword: 'a good password', newPassword: 'a better password' },
          { jar: annLaptop },
        )
      ).status,
    ).toBe(200);
    expect(await Promise.all(closes)).toEqual([CLOSE_SESSION_ENDED, CLOSE_SESSION_ENDED]);
    const fresh = await page(annLaptop);
    expect(fresh.socket.readyState).toBe(fresh.socket.OPEN);
    expect(bo.socket.readyState).toBe(bo.socket.OPEN);
    expect(bo.messages.some((m) => m.includes('logged out'))).toBe(false);
  });

  it('catches a page whose session ended while its socket was opening, and after lost events', async () => {
    t = createTestApp(database.current.db);
    const jar = await registerAs(t.app, 'ann');
    const annId = (await findUserByUsername(database.current.db, 'ann'))!.id;
    const sessionId = sessionIdOf(jar.cookies.get('session')!);
    await database.current.db.delete(sessions).where(eq(sessions.id, sessionId));
    const sent: string[] = [];
    const codes: number[] = [];
    const detach = t.live.accounts.connect(
      { send: (m) => sent.push(m.toString()), close: (code) => codes.push(code) },
      {
        userId: annId,
        sessionId,
        grid: null,
        withUsername: null,
        page: 'other',
        locale: 'en-GB',
        origin: 'http://localhost',
      },
    );
    await t.live.idle();
    detach();
    expect(codes).toEqual([CLOSE_SESSION_ENDED]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('You are logged out on this page');

    // A session ended while this instance missed the event: the resync after a reconnect closes it.
    server = await startServer(t.app);
    const again = (await loginAs(t.app, 'ann')).jar;
    const client = await connectLive(`${server.url.replace('http', 'ws')}${paths.accountLive()}`, {
      origin: server.origin,
      cookie: again.header(),
    });
    clients.push(client);
    await client.waitFor((m) => m.includes(`id="${ids.popups}"`));
    const clientClosed = closed(client);
    await database.current.db.delete(sessions).where(eq(sessions.id, sessionIdOf(again.cookies.get('session')!))); // no event
    await t.live.accounts.resyncAll();
    expect(await clientClosed).toBe(CLOSE_SESSION_ENDED);
  });
});
