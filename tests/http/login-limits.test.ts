/**
 * Login and registration limits that hold (src/auth/login-limits.ts): each attempt is counted in
 * the database before its password is verified, so parallel attempts cannot slip past, and every
 * instance of the app counts against the same rows. An account under attack makes each further try
 * wait (escalating, capped) rather than locking its owner out; one address is refused for an
 * account, and for everything, past its own limits. The clock is the test's: no sleeps, no timing.
 *
 * Verifications are counted where they happen, at argon2's `verify` (wrapped, not replaced).
 */
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { attemptKey } from '../../src/auth/attempt-limits.ts';
import { attemptLimits, users } from '../../src/db/schema.ts';
import { startHourly } from '../../src/realtime/hourly.ts';
import { paths } from '../../views/paths.ts';
import { createClock, createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { CookieJar, post, registerAs, textOf } from '../helpers/http.ts';

const MINUTE = 60_000;

const argon2 = vi.hoisted(() => ({ verifications: 0 }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: (...args: Parameters<typeof real.verify>) => {
      argon2.verifications += 1;
      return real.verify(...args);
    },
  };
});

/** A login from a client address (the apps here trust X-Forwarded-For, as behind a proxy). */
const login = (t: TestApp, username: string, password: string, address: string) =>
  post(t.app, paths.login(), { username, password }, { headers: { 'x-forwarded-for': address } });

const register = (t: TestApp, username: string) =>
  post(
    t.app,
    paths.register(),
    { displayName: username, username, password: 'a good password', timeZone: 'UTC' },
    { jar: new CookieJar() },
  );

function tally(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/** A refusal: 429, a humane page saying why and when, and Retry-After in seconds. */
async function expectRefused(response: Response, says: string, retryAfter: number) {
  const body = await response.text();
  expect(response.status, textOf(body).slice(0, 200)).toBe(429);
  expect(response.headers.get('retry-after')).toBe(String(retryAfter));
  expect(body).toMatch(/^<!DOCTYPE html>/);
  expect(textOf(body)).toContain(says);
}

let addressCount = 0;
/** An address never used before: each attacker's, or the owner's somewhere new. */
const freshAddress = () => `203.0.${Math.floor(++addressCount / 250)}.${(addressCount % 250) + 1}`;

describe.each(databaseKinds)('login limits on %s', (kind) => {
  const database = useTestDatabase(kind);
  beforeEach(async () => {
    await database.current.db.delete(attemptLimits);
    argon2.verifications = 0;
  });

  it('lets exactly LOGIN_MAX_FAILURES_PER_ACCOUNT of 60 parallel wrong passwords from 60 addresses reach verification, across two instances', async () => {
    const clock = createClock();
    const one = createTestApp(database.current.db, { clock, config: { trustProxy: true } });
    const two = createTestApp(database.current.db, { clock, config: { trustProxy: true }, bus: one.bus });
    expect(one.config.loginMaxFailuresPerAccount).toBe(10);
    await registerAs(one.app, 'ann');
    argon2.verifications = 0;
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(i % 2 ? one : two, 'ann', `wrong password ${i}`, freshAddress())),
    );
    expect(argon2.verifications).toBe(10);
    expect(tally(responses)).toEqual({ 401: 10, 429: 50 });
    for (const refused of responses.filter((r) => r.status === 429)) {
      await expectRefused(
        refused,
        'too many failed logins for this account, so each new try has to wait a little longer. Try again in 1 second.',
        1,
      );
    }
    const [row] = await database.current.db
      .select()
      .from(attemptLimits)
      .where(eq(attemptLimits.key, attemptKey('login-account', 'ann')));
    expect(row?.attempts).toBe(10); // the refused ones were not counted either
  });

  it('from one address, 60 parallel wrong passwords: again exactly 10 are verified', async () => {
    const t = createTestApp(database.current.db, { config: { trustProxy: true } });
    await registerAs(t.app, 'ann');
    const address = freshAddress();
    argon2.verifications = 0;
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(t, 'ann', `wrong password ${i}`, address)),
    );
    expect(argon2.verifications).toBe(10);
    expect(tally(responses)).toEqual({ 401: 10, 429: 50 });
  });

  it('makes each further try wait 1, 2, 4 … seconds up to the cap, never longer; the owner from another address gets in after the wait, and that clears the throttle', async () => {
    const t = createTestApp(database.current.db, {
      config: { trustProxy: true, loginMaxFailuresPerAccount: 3, loginAccountMaxWaitMs: 8000 },
    });
    await registerAs(t.app, 'ann');
    for (let i = 0; i < 3; i++) expect((await login(t, 'ann', 'wrong password', freshAddress())).status).toBe(401);
    const owner = freshAddress();
    await expectRefused(await login(t, 'ann', 'a good password', owner), 'Try again in 1 second.', 1);

    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const refused = await login(t, 'ann', 'wrong password', freshAddress());
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      waits.push(wait);
      // Hammering during the wait is refused without verifying, and does not make the wait longer.
      const verified = argon2.verifications;
      for (let j = 0; j < 5; j++)
        expect((await login(t, 'ann', 'wrong password', freshAddress())).headers.get('retry-after')).toBe(String(wait));
      expect(argon2.verifications).toBe(verified);
      t.clock.advance(wait * 1000);
      expect((await login(t, 'ann', 'wrong password', freshAddress())).status).toBe(401); // verified, and wrong
      expect(argon2.verifications).toBe(verified + 1);
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8]);

    // The owner, even right behind the attacker's last failure, waits at most the cap.
    t.clock.advance(7000);
    await expectRefused(await login(t, 'ann', 'a good password', owner), 'Try again in 1 second.', 1);
    t.clock.advance(1000);
    const inside = await login(t, 'ann', 'a good password', owner);
    expect(inside.status).toBe(303);
    expect(inside.headers.get('location')).toBe(paths.meetings());

    // Cleared: the account starts over with its free failures, and its first wait is 1 s again.
    for (let i = 0; i < 3; i++) expect((await login(t, 'ann', 'wrong password', freshAddress())).status).toBe(401);
    await expectRefused(await login(t, 'ann', 'wrong password', freshAddress()), 'Try again in 1 second.', 1);
  });

  it('refuses one address for an account once it has failed there LOGIN_MAX_FAILURES_PER_ACCOUNT times in the window; other accounts and addresses go on', async () => {
    const t = createTestApp(database.current.db, {
      config: { trustProxy: true, loginMaxFailuresPerAccount: 3, loginFailureWindowMs: 15 * MINUTE },
    });
    await registerAs(t.app, 'ann');
    await registerAs(t.app, 'bo');
    const here = freshAddress();
    for (let i = 0; i < 3; i++) expect((await login(t, 'ann', 'wrong password', here)).status).toBe(401);
    t.clock.advance(1000); // the account's own wait is over; this address's refusal is not
    await expectRefused(
      await login(t, 'ann', 'a good password', here),
      'There were too many failed logins for this account from your network. Try again in 15 minutes.',
      899,
    );
    expect((await login(t, 'bo', 'wrong password', here)).status).toBe(401); // another account from here
    expect((await login(t, 'ann', 'a good password', freshAddress())).status).toBe(303); // Ann elsewhere
    expect((await login(t, 'ann', 'a good password', here)).status).toBe(429); // here, until the window ends
    t.clock.advance(15 * MINUTE - 1000);
    expect((await login(t, 'ann', 'a good password', here)).status).toBe(303);
  });

  it('refuses an address past LOGIN_MAX_FAILURES_PER_ADDRESS failures for any accounts, real or not; its successes do not count', async () => {
    const t = createTestApp(database.current.db, {
      config: {
        trustProxy: true,
        loginMaxFailuresPerAddress: 3,
        loginMaxFailuresPerAccount: 100,
        loginFailureWindowMs: 15 * MINUTE,
      },
    });
    await registerAs(t.app, 'ann');
    await registerAs(t.app, 'bo');
    const office = freshAddress();
    // Many people behind one address log in all day: only failures count.
    for (let i = 0; i < 5; i++)
      expect((await login(t, i % 2 ? 'ann' : 'bo', 'a good password', office)).status).toBe(303);
    for (const username of ['ann', 'nobody', 'bo'])
      expect((await login(t, username, 'wrong password', office)).status).toBe(401);
    await expectRefused(
      await login(t, 'bo', 'a good password', office),
      'There were too many failed logins from your network. Try again in 15 minutes.',
      900,
    );
    expect((await login(t, 'bo', 'a good password', freshAddress())).status).toBe(303);
    t.clock.advance(15 * MINUTE);
    expect((await login(t, 'bo', 'a good password', office)).status).toBe(303);
  });

  it('limits registrations per address across instances (two apps, one database), in parallel too, creating none past the limit', async () => {
    const clock = createClock();
    const one = createTestApp(database.current.db, { clock, config: { registrationRateLimit: 3 } });
    const two = createTestApp(database.current.db, { clock, config: { registrationRateLimit: 3 }, bus: one.bus });
    expect((await register(one, 'ann')).status).toBe(303);
    expect((await register(two, 'bo')).status).toBe(303);
    expect((await register(one, 'cy')).status).toBe(303);
    const refused = await register(two, 'dee');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(textOf(await refused.text())).toContain(
      'Too many accounts were created from your network. Try again later.',
    );
    expect((await register(one, 'eve')).status).toBe(429);
    expect(await database.current.db.select().from(users)).toHaveLength(3);

    clock.advance(60 * MINUTE);
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => register(i % 2 ? one : two, `burst${i}`)));
    expect(tally(burst)).toEqual({ 303: 3, 429: 9 });
    expect(await database.current.db.select().from(users)).toHaveLength(6);
  });

  it('keeps its table bounded: the hourly work deletes counts whose time has passed', async () => {
    const t = createTestApp(database.current.db, {
      config: { trustProxy: true, loginMaxFailuresPerAccount: 2, loginAccountMaxWaitMs: 15 * MINUTE },
    });
    for (let i = 0; i < 4; i++) await login(t, 'nobody', 'wrong password', freshAddress());
    await register(t, 'ann');
    expect((await database.current.db.select().from(attemptLimits)).length).toBeGreaterThan(0);
    const hourly = startHourly({
      db: database.current.db,
      live: t.live,
      now: t.clock.now,
      siteZone: t.config.siteTimeZone,
      onError: (e) => t.errors.push(e),
      firstRunAfterMs: 3_600_000,
    });
    try {
      await hourly.runNow();
      expect((await database.current.db.select().from(attemptLimits)).length).toBeGreaterThan(0); // all still current
      t.clock.advance(2 * 60 * MINUTE);
      await hourly.runNow();
      expect(await database.current.db.select().from(attemptLimits)).toEqual([]);
    } finally {
      hourly.stop();
    }
    expect(t.errors).toEqual([]);
  });
});
