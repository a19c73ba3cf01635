/**
 * The visitor cookie: a random key per schedule (Path=/s/<publicId>), HttpOnly, SameSite=Lax. Only
 * its hash reaches the database, on the visitor's booking. It is how "Your booking" finds them.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.ts';
import { generateKey, hashKey, looksLikeKey } from '../domain/tokens.ts';
import { paths } from '../../views/paths.ts';

export const VISITOR_COOKIE = 'visitor';
const VISITOR_MAX_AGE = 180 * 24 * 60 * 60;

export interface Visitor {
  key: string;
  hash: string;
}

/** The visitor this request comes from, if it carries a well-formed cookie. */
export function readVisitor<E extends AppEnv>(c: Context<E>): Visitor | null {
  const key = getCookie(c, VISITOR_COOKIE);
  return looksLikeKey(key) ? { key, hash: hashKey(key) } : null;
}

/** The visitor, minting and setting a cookie on their first visit. */
export function ensureVisitor<E extends AppEnv>(c: Context<E>, publicId: string): Visitor {
  const existing = readVisitor(c);
  if (existing) return existing;
  const key = generateKey();
  setCookie(c, VISITOR_COOKIE, key, {
    path: paths.schedule(publicId),
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('origin').startsWith('https:'),
    maxAge: VISITOR_MAX_AGE,
  });
  return { key, hash: hashKey(key) };
}
