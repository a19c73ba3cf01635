/** Passwords and sessions (Lucia's guide): hashing, expiry, sliding refresh, logout, password change. */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/auth/password.ts';
import {
  createSession,
  generateSessionToken,
  invalidateAllSessions,
  invalidateSession,
  SESSION_LIFETIME_MS,
  sessionIdOf,
  validateSessionToken,
} from '../../src/auth/session.ts';
import { sessions } from '../../src/db/schema.ts';
import { authenticate, changePassword, registerUser } from '../../src/domain/users.ts';
import { TEST_NOW } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';

const DAY = 24 * 3600 * 1000;

describe('passwords', () => {
  it('hashes with argon2id and OWASP parameters, and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('takes 8 to 256 characters of any kind', () => {
    expect(passwordProblem('1234567')).toContain('at least 8');
    expect(passwordProblem('12345678')).toBeNull();
    expect(passwordProblem('🙂'.repeat(8))).toBeNull(); // eight characters, 32 bytes
    expect(passwordProblem(' '.repeat(64))).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toContain('at most 256');
  });
});

describe.each(databaseKinds)('accounts and sessions on %s', (kind) => {
  const database = useTestDatabase(kind);
  const register = (username = 'ann') =>
    registerUser(database.current.db, {
      username,
      password: 'a good password',
      displayName: 'Ann',
      timeZone: 'America/New_York',
    });

  it('registers once per username, whatever its case, and authenticates', async () => {
    const first = await register('ann');
    expect(first.ok).toBe(true);
    expect(await register('ann')).toEqual({ ok: false, reason: 'username-taken' });
    expect((await authenticate(database.current.db, 'ANN', 'a good password'))?.username).toBe('ann');
    expect(await authenticate(database.current.db, 'ann', 'a wrong password')).toBeNull();
    expect(await authenticate(database.current.db, 'nobody', 'a good password')).toBeNull();
  });

  it('stores only the hash of the session token', async () => {
    const { user } = (await register()) as { ok: true; user: { id: string } };
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const session = await createSession(database.current.db, token, user.id, TEST_NOW);
    const rows = await database.current.db.select().from(sessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(sessionIdOf(token));
    expect(rows[0]!.id).not.toContain(token);
    expect(session.expiresAt.getTime()).toBe(TEST_NOW.getTime() + SESSION_LIFETIME_MS);
    const valid = await validateSessionToken(database.current.db, token, TEST_NOW);
    expect(valid.user?.username).toBe('ann');
    expect(valid.refreshed).toBe(false);
    const altered = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    expect((await validateSessionToken(database.current.db, altered, TEST_NOW)).user).toBeNull();
  });

  it('slides: a session used in its last 15 days lives 30 more; an expired one is deleted', async () => {
    const { user } = (await register()) as { ok: true; user: { id: string } };
    const token = generateSessionToken();
    await createSession(database.current.db, token, user.id, TEST_NOW);
    const day20 = new Date(TEST_NOW.getTime() + 20 * DAY);
    const refreshed = await validateSessionToken(database.current.db, token, day20);
    expect(refreshed.refreshed).toBe(true);
    expect(refreshed.session?.expiresAt.getTime()).toBe(day20.getTime() + SESSION_LIFETIME_MS);
    const later = new Date(day20.getTime() + SESSION_LIFETIME_MS + 1);
    expect((await validateSessionToken(database.current.db, token, later)).session).toBeNull();
    expect(
      await database.current.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdOf(token))),
    ).toHaveLength(0);
  });

  it('ends one session on logout and all of them on password change', async () => {
    const { user } = (await register()) as { ok: true; user: { id: string } };
    const [a, b] = [generateSessionToken(), generateSessionToken()];
    await createSession(database.current.db, a, user.id, TEST_NOW);
    await createSession(database.current.db, b, user.id, TEST_NOW);
    await invalidateSession(database.current.db, sessionIdOf(a));
    expect((await validateSessionToken(database.current.db, a, TEST_NOW)).user).toBeNull();
    expect((await validateSessionToken(database.current.db, b, TEST_NOW)).user).not.toBeNull();
    expect(await changePassword(database.current.db, user.id, 'wrong', 'another good one')).toBe('wrong-current');
    expect(await changePassword(database.current.db, user.id, 'a good password', 'another good one')).toBe('changed');
    await invalidateAllSessions(database.current.db, user.id);
    expect((await validateSessionToken(database.current.db, b, TEST_NOW)).user).toBeNull();
    expect(await authenticate(database.current.db, 'ann', 'another good one')).not.toBeNull();
    expect(await authenticate(database.current.db, 'ann', 'a good password')).toBeNull();
  });
});
