/**
 * Sessions, following Lucia's guide (lucia-auth.com): a random token goes in the cookie, the
 * database keeps only its SHA-256 as the session id. Sessions last 30 days and slide: a session used
 * in its last 15 days is extended. No HTTP here (see cookies.ts).
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, gt, lte, notInArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { toUser, type User } from '../domain/users.ts';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
export const SESSION_REFRESH_MS = 15 * DAY;

export interface Session {
  id: string;
  userId: string;
  expiresAt: Date;
}

/** The signed-in person, as the rest of the app knows a user. */
export type SessionUser = User;

export type SessionValidationResult =
  | { session: Session; user: SessionUser; refreshed: boolean }
  | { session: null; user: null; refreshed: false };

/** 20 random bytes, base32: what the cookie carries. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The session id for a token: its SHA-256, hex. */
export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * Starts a session. With `maxPerUser`, the person's oldest sessions beyond that many end in the
 * same transaction, under their user row's lock (logins racing each other cannot leave more);
 * `ended` says how many did, so pages open on them can be told.
 */
export async function createSession(
  db: Database,
  token: string,
  userId: string,
  now: Date,
  maxPerUser = Number.POSITIVE_INFINITY,
): Promise<Session & { ended: number }> {
  const session: Session = { id: sessionIdOf(token), userId, expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS) };
  if (!Number.isFinite(maxPerUser)) {
    await db.insert(sessions).values(session);
    return { ...session, ended: 0 };
  }
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
    await tx.insert(sessions).values(session); // created_at: the database clock, which orders them
    const kept = tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(maxPerUser);
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), notInArray(sessions.id, kept)))
      .returning({ id: sessions.id });
    return { ...session, ended: ended.length };
  });
}

/** Deletes sessions that have expired (the hourly work): a row no longer outlives its use. */
export async function deleteExpiredSessions(db: Database, now: Date): Promise<number> {
  const gone = await db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id });
  return gone.length;
}

/** The session and user a token stands for; expired sessions are deleted, fresh-enough ones extended. */
export async function validateSessionToken(db: Database, token: string, now: Date): Promise<SessionValidationResult> {
  if (!/^[a-z2-7]{32}$/.test(token)) return { session: null, user: null, refreshed: false };
  const id = sessionIdOf(token);
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row) return { session: null, user: null, refreshed: false };
  const session: Session = { id: row.session.id, userId: row.session.userId, expiresAt: row.session.expiresAt };
  if (now.getTime() >= session.expiresAt.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return { session: null, user: null, refreshed: false };
  }
  let refreshed = false;
  if (now.getTime() >= session.expiresAt.getTime() - SESSION_REFRESH_MS) {
    session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id));
    refreshed = true;
  }
  return { session, user: toUser(row.user), refreshed };
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user (password change). */
export async function invalidateAllSessions(db: Database, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** The ids of a user's sessions that are still valid (open pages are checked against them). */
export async function listLiveSessionIds(db: Database, userId: string, now: Date): Promise<Set<string>> {
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)));
  return new Set(rows.map((r) => r.id));
}
