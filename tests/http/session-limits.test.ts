/**
 * Sessions are bounded: a person has at most MAX_SESSIONS_PER_USER live sessions (a login past it
 * ends their oldest, and a page open on it is told and closed), and expired sessions are deleted by
 * the hourly work rather than left until someone reuses them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deleteExpiredSessions, SESSION_LIFETIME_MS } from '../../src/auth/session.ts';
import { CLOSE_SESSION_ENDED } from '../../src/realtime/account-feed.tsx';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type CookieJar, get, loginAs, registerAs } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';
import { sql } from 'drizzle-orm';

describe.each(databaseKinds)('session limits on %s', (kind) => {
  const database = useTestDatabase(kind);
  let t: TestApp;
  let server: TestServer | undefined;
  const clients: LiveClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await t?.live.close();
    await server?.close();
    server = undefined;
  });

  const sessionCount = async (username: string) =>
    (
      await database.current.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM sessions JOIN users ON users.id = sessions.user_id WHERE users.username = ${username}`,
      )
    ).rows[0]!.n;
  const signedIn = async (jar: CookieJar) => (await get(t.app, paths.profile(), { jar })).status === 200;

  it('ends the oldest sessions past MAX_SESSIONS_PER_USER, telling a page open on one', async () => {
    t = createTestApp(database.current.db, { config: { maxSessionsPerUser: 3 } });
    server = await startServer(t.app);
    const first = await registerAs(t.app, 'ann'); // session 1
    const second = (await loginAs(t.app, 'ann')).jar;
    const third = (await loginAs(t.app, 'ann')).jar;
    const page = await connectLive(`${server.url.replace('http', 'ws')}${paths.accountLive()}`, {
      origin: server.origin,
      cookie: first.header(),
    });
    clients.push(page);
    await page.waitFor((m) => m.includes(`id="${ids.popups}"`));
    const pageClosed = new Promise<number>((resolve) => page.socket.once('close', (code) => resolve(code)));
    expect(await sessionCount('ann')).toBe(3);

    const fourth = (await loginAs(t.app, 'ann')).jar; // the first one ends
    expect(await sessionCount('ann')).toBe(3);
    expect(await signedIn(first)).toBe(false);
    expect(await Promise.all([second, third, fourth].map(signedIn))).toEqual([true, true, true]);
    await page.waitFor((m) => m.includes('You are logged out on this page'));
    expect(await pageClosed).toBe(CLOSE_SESSION_ENDED);

    await Promise.all(Array.from({ length: 6 }, () => loginAs(t.app, 'ann')));
    expect(await sessionCount('ann')).toBe(3); // parallel logins never leave more
    expect(await signedIn(second)).toBe(false);
  });

  it('deletes expired sessions, and only those', async () => {
    t = createTestApp(database.current.db);
    await registerAs(t.app, 'bo');
    t.clock.advance(SESSION_LIFETIME_MS / 2);
    const later = (await loginAs(t.app, 'bo')).jar;
    expect(await sessionCount('bo')).toBe(2);
    // Past the first session's end, before the second's.
    const deleted = await deleteExpiredSessions(
      database.current.db,
      new Date(t.clock.now().getTime() + SESSION_LIFETIME_MS / 2 + 1000),
    );
    expect(deleted).toBe(1);
    expect(await sessionCount('bo')).toBe(1);
    t.clock.advance(SESSION_LIFETIME_MS / 2 + 1000);
    expect(await signedIn(later)).toBe(true);
  });
});
