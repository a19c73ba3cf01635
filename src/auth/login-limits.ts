/**
 * The limits on logging in and registering, in the database (see attempt-limits.ts), so they hold
 * across instances and under parallel attempts. A login attempt is counted before its password is
 * verified, three ways, in this order, so an attempt refused by one is taken back from those before
 * it and never reaches (or uses up) the account's tries:
 *  - per client address: LOGIN_MAX_FAILURES_PER_ADDRESS in the window, then 429 until it ends;
 *  - per (account, address): LOGIN_MAX_FAILURES_PER_ACCOUNT in the window, then 429 until it ends;
 *  - per account, from anywhere: LOGIN_MAX_FAILURES_PER_ACCOUNT, then each further try waits
 *    (1 s, doubling, up to LOGIN_ACCOUNT_MAX_WAIT_SECONDS). A wait, never a lock-out: whoever
 *    tries after it is verified, so the owner, from any other address, gets in.
 * Only failures count: an attempt refused further on, or that succeeds, is taken back; a success
 * clears its account's throttle. Usernames that do not exist are limited the same way.
 */
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { type AttemptRule, attemptKey, clearAttempts, countAttempt, refundAttempt } from './attempt-limits.ts';

export type LoginLimits = Pick<
  Config,
  'loginMaxFailuresPerAccount' | 'loginMaxFailuresPerAddress' | 'loginFailureWindowMs' | 'loginAccountMaxWaitMs'
>;

/** The first wait once an account has had its failures; each later one doubles. */
export const LOGIN_FIRST_WAIT_MS = 1000;
const REGISTRATION_WINDOW_MS = 60 * 60_000;

/** An attempt that was counted and may be verified; end it with `endLoginAttempt`. */
export interface LoginAttempt {
  readonly now: Date;
  readonly addressKey: string;
  readonly pairKey: string;
  readonly accountKey: string;
}

/** Why an attempt was refused before verifying: which limit, and for how long. */
export type LoginRefusal = { reason: 'address' | 'account-from-address' | 'account'; retryAfterSeconds: number };

export type LoginGate = { ok: true; attempt: LoginAttempt } | ({ ok: false } & LoginRefusal);

/** Counts a login attempt before its password is verified, or refuses it (nothing counted then). */
export async function beginLoginAttempt(
  db: Database,
  input: { username: string; address: string },
  limits: LoginLimits,
  now: Date,
): Promise<LoginGate> {
  const window = (limit: number): AttemptRule => ({ kind: 'window', limit, windowMs: limits.loginFailureWindowMs });
  const attempt: LoginAttempt = {
    now,
    addressKey: attemptKey('login-address', input.address),
    pairKey: attemptKey('login-account-address', input.username, input.address),
    accountKey: attemptKey('login-account', input.username),
  };
  const byAddress = await countAttempt(db, attempt.addressKey, window(limits.loginMaxFailuresPerAddress), now);
  if (!byAddress.ok) return { ok: false, reason: 'address', retryAfterSeconds: byAddress.retryAfterSeconds };
  const byPair = await countAttempt(db, attempt.pairKey, window(limits.loginMaxFailuresPerAccount), now);
  if (!byPair.ok) {
    await refundAttempt(db, attempt.addressKey, now);
    return { ok: false, reason: 'account-from-address', retryAfterSeconds: byPair.retryAfterSeconds };
  }
  const escalating: AttemptRule = {
    kind: 'escalating',
    free: limits.loginMaxFailuresPerAccount,
    firstWaitMs: LOGIN_FIRST_WAIT_MS,
    maxWaitMs: limits.loginAccountMaxWaitMs,
    forgetAfterMs: limits.loginFailureWindowMs,
  };
  const byAccount = await countAttempt(db, attempt.accountKey, escalating, now);
  if (!byAccount.ok) {
    await refundAttempt(db, attempt.pairKey, now);
    await refundAttempt(db, attempt.addressKey, now);
    return { ok: false, reason: 'account', retryAfterSeconds: byAccount.retryAfterSeconds };
  }
  return { ok: true, attempt };
}

/**
 * Ends a counted attempt once its password was verified: a failure stays counted; a success clears
 * the account's throttle and this address's count for it, and is taken back from the address's.
 */
export async function endLoginAttempt(db: Database, attempt: LoginAttempt, succeeded: boolean): Promise<void> {
  if (!succeeded) return;
  await clearAttempts(db, [attempt.accountKey, attempt.pairKey]);
  await refundAttempt(db, attempt.addressKey, attempt.now);
}

/** Counts a registration from a client address (REGISTRATION_RATE_LIMIT an hour), or refuses it. */
export function countRegistration(db: Database, address: string, limit: number, now: Date) {
  return countAttempt(
    db,
    attemptKey('registration-address', address),
    { kind: 'window', limit, windowMs: REGISTRATION_WINDOW_MS },
    now,
  );
}
