/**
 * Attempt limits kept in the database, so every instance counts against the same rows. An attempt
 * is counted by one atomic `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING` made before the
 * work it guards (verifying or hashing a password): parallel attempts are decided by the database,
 * never by a read in JavaScript followed by a write. The clock is the caller's `now`, never the
 * wall clock. No HTTP here.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, gt, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { attemptLimits } from '../db/schema.ts';

/** Rows the table may keep; the hourly clean-up deletes those nearest their expiry beyond it. */
export const ATTEMPT_LIMIT_MAX_KEYS = 100_000;

/** How the attempts counted under one key are limited. */
export type AttemptRule =
  /** `limit` attempts in a window that starts with the first; then refused until the window ends. */
  | { kind: 'window'; limit: number; windowMs: number }
  /**
   * `free` attempts, then waits: the `free`-th attempt makes the next one wait `firstWaitMs`, each
   * later one doubles the wait, up to `maxWaitMs`, so nobody is ever kept out longer than that.
   * The count is forgotten `forgetAfterMs` after the last wait ended with no attempt since.
   */
  | { kind: 'escalating'; free: number; firstWaitMs: number; maxWaitMs: number; forgetAfterMs: number };

export type AttemptResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * The key for a kind of limit and what it counts (an account, an address, both). The parts are
 * hashed: people type passwords into the username field, and the table need not hold addresses.
 */
export function attemptKey(kind: string, ...parts: string[]): string {
  return `${kind}:${encodeHexLowerCase(sha256(new TextEncoder().encode(JSON.stringify(parts))))}`;
}

/** Limits go to SQL as integers: a test's "no limit" (1e9, Infinity) stays one. */
const count = (n: number): number => Math.max(0, Math.min(Math.floor(n), 2 ** 31 - 1));
const instant = (date: Date): SQL => sql`${date.toISOString()}::timestamptz`;
const milliseconds = (ms: SQL | number): SQL => sql`(${ms})::double precision * interval '1 millisecond'`;

/** The wait the `attempts`-th attempt starts under an escalating rule, in milliseconds (as SQL). */
function escalatingWait(attempts: SQL, rule: Extract<AttemptRule, { kind: 'escalating' }>): SQL {
  const doublings = sql`LEAST(${attempts} - ${count(rule.free)}::integer, 60)`;
  return sql`(CASE WHEN ${attempts} < ${count(rule.free)}::integer THEN 0
    ELSE LEAST(${rule.maxWaitMs}::double precision, ${rule.firstWaitMs}::double precision * power(2, ${doublings})) END)`;
}

/** The same wait in JavaScript, for the attempt that creates the row (the first). */
function firstAttemptWaitMs(rule: Extract<AttemptRule, { kind: 'escalating' }>): number {
  return rule.free <= 1 ? Math.min(rule.maxWaitMs, rule.firstWaitMs) : 0;
}

/**
 * Counts one attempt under `key`, or refuses it without counting. Refused: over a window's limit
 * (until the window ends) or inside an escalating wait (until it ends).
 */
export async function countAttempt(db: Database, key: string, rule: AttemptRule, now: Date): Promise<AttemptResult> {
  const t = attemptLimits;
  const at = instant(now);
  const expired = sql`${t.expiresAt} <= ${at}`;
  const attempts = sql`(CASE WHEN ${expired} THEN 1 ELSE ${t.attempts} + 1 END)`;
  let insert: typeof t.$inferInsert;
  let set: Partial<Record<'attempts' | 'blockedUntil' | 'expiresAt', SQL>>;
  let allowed: SQL;
  if (rule.kind === 'window') {
    insert = { key, attempts: 1, blockedUntil: null, expiresAt: new Date(now.getTime() + rule.windowMs) };
    set = {
      attempts,
      expiresAt: sql`CASE WHEN ${expired} THEN ${at} + ${milliseconds(rule.windowMs)} ELSE ${t.expiresAt} END`,
    };
    allowed = sql`${expired} OR ${t.attempts} < ${count(rule.limit)}::integer`;
  } else {
    const blockedUntil = new Date(now.getTime() + firstAttemptWaitMs(rule));
    insert = { key, attempts: 1, blockedUntil, expiresAt: new Date(blockedUntil.getTime() + rule.forgetAfterMs) };
    const until = sql`${at} + ${milliseconds(escalatingWait(attempts, rule))}`;
    set = { attempts, blockedUntil: until, expiresAt: sql`${until} + ${milliseconds(rule.forgetAfterMs)}` };
    allowed = sql`${expired} OR ${t.blockedUntil} IS NULL OR ${t.blockedUntil} <= ${at}`;
  }
  const counted = await db
    .insert(t)
    .values(insert)
    .onConflictDoUpdate({ target: t.key, set, setWhere: allowed })
    .returning({ key: t.key });
  if (counted.length > 0) return { ok: true };
  // Refused by the database; this read only words the refusal (how long to wait).
  const [row] = await db.select({ blockedUntil: t.blockedUntil, expiresAt: t.expiresAt }).from(t).where(eq(t.key, key));
  const until = rule.kind === 'window' ? row?.expiresAt : row?.blockedUntil;
  return {
    ok: false,
    retryAfterSeconds: Math.max(1, Math.ceil(((until?.getTime() ?? now.getTime()) - now.getTime()) / 1000)),
  };
}

/**
 * Takes back one attempt counted under `key` (it was refused further on, or it succeeded where only
 * failures should count). Only within the count it was made in.
 */
export async function refundAttempt(db: Database, key: string, now: Date): Promise<void> {
  const t = attemptLimits;
  await db
    .update(t)
    .set({ attempts: sql`GREATEST(${t.attempts} - 1, 0)` })
    .where(and(eq(t.key, key), gt(t.expiresAt, now)));
}

/** Forgets the attempts under these keys (a successful login clears its account's throttle). */
export async function clearAttempts(db: Database, keys: string[]): Promise<void> {
  if (keys.length > 0) await db.delete(attemptLimits).where(inArray(attemptLimits.key, keys));
}

/**
 * Deletes the rows whose count has been forgotten, then, beyond `maxKeys` rows, those nearest their
 * expiry (the hourly work): a stranger inventing usernames and addresses cannot grow the table
 * without bound. Returns how many rows went.
 */
export async function deleteStaleAttemptLimits(
  db: Database,
  now: Date,
  maxKeys = ATTEMPT_LIMIT_MAX_KEYS,
): Promise<number> {
  const t = attemptLimits;
  const expired = await db.delete(t).where(lte(t.expiresAt, now)).returning({ key: t.key });
  const beyond = db.select({ key: t.key }).from(t).orderBy(desc(t.expiresAt), desc(t.key)).offset(maxKeys);
  const capped = await db.delete(t).where(inArray(t.key, beyond)).returning({ key: t.key });
  return expired.length + capped.length;
}
