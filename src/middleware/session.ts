/** Loads the signed-in person from the session cookie; guards pages that need one. */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { deleteSessionCookie, readSessionToken, setSessionCookie } from '../auth/cookies.ts';
import { validateSessionToken } from '../auth/session.ts';
import type { Database } from '../db/client.ts';

export function loadSession(db: Database, now: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('user', null);
    c.set('session', null);
    const token = readSessionToken(c);
    if (token) {
      const result = await validateSessionToken(db, token, now());
      if (result.session) {
        c.set('user', result.user);
        c.set('session', result.session);
        if (result.refreshed) setSessionCookie(c, token, result.session.expiresAt);
      } else {
        deleteSessionCookie(c);
      }
    }
    await next();
  };
}

/** Pages for signed-in people: others go to /login and come back afterwards. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('user')) return next();
    const url = new URL(c.req.url);
    const back =
      c.req.method === 'GET'
        ? `${url.pathname}${url.search}`
        : url.pathname.startsWith('/rooms')
          ? '/rooms'
          : '/invites';
    const target = `/login?next=${encodeURIComponent(back)}`;
    if (c.req.header('hx-request') === 'true') {
      c.header('HX-Redirect', target);
      return c.body(null, 401);
    }
    return c.redirect(target, 303);
  };
}

/** A `next` parameter that can only lead back into this site. */
export function safeNext(next: string | undefined | null): string {
  return next && /^\/(?!\/)[A-Za-z0-9/_?=&%.-]*$/.test(next) && !next.startsWith('/login') ? next : '/meetings';
}
