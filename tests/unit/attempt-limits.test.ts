/**
 * The attempt counters behind the login and registration limits (src/auth/attempt-limits.ts): one
 * atomic upsert per attempt decides it, parallel attempts included; the clock is the caller's.
 */
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  attemptKey,
  clearAttempts,
  countAttempt,
  deleteStaleAttemptLimits,
  refundAttempt,
  type AttemptRule,
} from '../../src/auth/attempt-limits.ts';
import { attemptLimits } from '../../src/db/schema.ts';
import { TEST_NOW } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';

const at = (seconds: number) => new Date(TEST_NOW.getTime() + seconds * 1000);

describe('attempt keys', () => {
  it('hold no username or address, and keep kinds and parts apart', () => {
    const key = attemptKey('login-account', 'my secret password');
    expect(key).toMatch(/^login-account:[0-9a-f]{64}$/);
    expect(key).not.toContain('secret');
    expect(attemptKey('login-account-address', 'ann', '1.2.3.4')).not.toBe(
      attemptKey('login-account-address', 'ann1', '.2.3.4'),
    );
    expect(attemptKey('login-account', 'ann')).not.toBe(attemptKey('login-address', 'ann'));
  });
});

describe.each(databaseKinds)('attempt limits on %s', (kind) => {
  const database = useTestDatabase(kind);
  const db = () => database.current.db;
  beforeEach(async () => {
    await database.current.db.delete(attemptLimits);
  });
  const attemptsOf = async (key: string) =>
    (await db().select().from(attemptLimits).where(eq(attemptLimits.key, key)))[0]?.attempts;

  it('a window: `limit` attempts, then refused until the window that began with the first ends', async () => {
    const rule: AttemptRule = { kind: 'window', limit: 2, windowMs: 60_000 };
    expect(await countAttempt(db(), 'k', rule, at(0))).toEqual({ ok: true });
    expect(await countAttempt(db(), 'k', rule, at(10))).toEqual({ ok: true });
    expect(await countAttempt(db(), 'k', rule, at(10))).toEqual({ ok: false, retryAfterSeconds: 50 });
    expect(await countAttempt(db(), 'k', rule, at(59.5))).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(await attemptsOf('k')).toBe(2); // refusals are not counted
    expect(await countAttempt(db(), 'k', rule, at(60))).toEqual({ ok: true });
    expect(await attemptsOf('k')).toBe(1); // a new window
  });

  it('escalating: free attempts, then waits of 1, 2, 4 … seconds up to the cap, forgotten after a quiet spell', async () => {
    const rule: AttemptRule = {
      kind: 'escalating',
      free: 2,
      firstWaitMs: 1000,
      maxWaitMs: 4000,
      forgetAfterMs: 60_000,
    };
    let now = 0;
    expect(await countAttempt(db(), 'k', rule, at(now))).toEqual({ ok: true });
    expect(await countAttempt(db(), 'k', rule, at(now))).toEqual({ ok: true });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const refused = await countAttempt(db(), 'k', rule, at(now));
      if (refused.ok) throw new Error('expected a wait');
      waits.push(refused.retryAfterSeconds);
      // Trying during the wait neither counts nor makes it longer.
      expect(await countAttempt(db(), 'k', rule, at(now + refused.retryAfterSeconds - 0.5))).toEqual({
        ok: false,
        retryAfterSeconds: 1,
      });
      now += refused.retryAfterSeconds;
      expect(await countAttempt(db(), 'k', rule, at(now))).toEqual({ ok: true });
    }
    expect(waits).toEqual([1, 2, 4, 4, 4]);
    expect(await attemptsOf('k')).toBe(7);
    // The last attempt started a 4 s wait; 60 s after it ended with no attempt, all is forgotten.
    expect(await countAttempt(db(), 'k', rule, at(now + 4 + 59))).toMatchObject({ ok: true });
    expect(await attemptsOf('k')).toBe(8);
    expect(await countAttempt(db(), 'k', { ...rule }, at(now + 4 + 59 + 4 + 60))).toEqual({ ok: true });
    expect(await attemptsOf('k')).toBe(1);
  });

  it('with one free attempt, the first already makes the next wait', async () => {
    const rule: AttemptRule = {
      kind: 'escalating',
      free: 1,
      firstWaitMs: 1000,
      maxWaitMs: 4000,
      forgetAfterMs: 60_000,
    };
    expect(await countAttempt(db(), 'k', rule, at(0))).toEqual({ ok: true });
    expect(await countAttempt(db(), 'k', rule, at(0))).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('decides parallel attempts in the database: exactly `limit` of 50 are counted', async () => {
    const window: AttemptRule = { kind: 'window', limit: 7, windowMs: 60_000 };
    const escalating: AttemptRule = {
      kind: 'escalating',
      free: 7,
      firstWaitMs: 1000,
      maxWaitMs: 4000,
      forgetAfterMs: 60_000,
    };
    for (const [key, rule] of [
      ['w', window],
      ['e', escalating],
    ] as const) {
      const results = await Promise.all(Array.from({ length: 50 }, () => countAttempt(db(), key, rule, at(0))));
      expect(results.filter((r) => r.ok)).toHaveLength(7);
      expect(await attemptsOf(key)).toBe(7);
    }
  });

  it('takes an attempt back within its window only, and forgets keys on request', async () => {
    const rule: AttemptRule = { kind: 'window', limit: 1, windowMs: 60_000 };
    expect((await countAttempt(db(), 'k', rule, at(0))).ok).toBe(true);
    expect((await countAttempt(db(), 'k', rule, at(1))).ok).toBe(false);
    await refundAttempt(db(), 'k', at(1));
    expect(await attemptsOf('k')).toBe(0);
    await refundAttempt(db(), 'k', at(1));
    expect(await attemptsOf('k')).toBe(0); // never below nothing
    expect((await countAttempt(db(), 'k', rule, at(1))).ok).toBe(true);
    await refundAttempt(db(), 'k', at(60)); // the window is over: nothing to take back from
    expect(await attemptsOf('k')).toBe(1);
    await countAttempt(db(), 'other', rule, at(0));
    await clearAttempts(db(), ['k', 'other', 'missing']);
    expect(await db().select().from(attemptLimits)).toEqual([]);
  });

  it('stays bounded: expired rows are deleted, and beyond the cap those nearest their expiry', async () => {
    const rule = (windowSeconds: number): AttemptRule => ({ kind: 'window', limit: 5, windowMs: windowSeconds * 1000 });
    for (const [key, seconds] of [
      ['a', 10],
      ['b', 20],
      ['c', 30],
      ['d', 40],
      ['e', 50],
    ] as const)
      await countAttempt(db(), key, rule(seconds), at(0));
    expect(await deleteStaleAttemptLimits(db(), at(10), 100)).toBe(1); // a's window ended
    expect(await deleteStaleAttemptLimits(db(), at(11), 2)).toBe(2); // b and c go, d and e stay
    const left = await db().select({ key: attemptLimits.key }).from(attemptLimits).orderBy(attemptLimits.key);
    expect(left.map((r) => r.key)).toEqual(['d', 'e']);
  });
});
