/**
 * WebSocket upgrades are GET requests, which CSRF protection skips, and browsers send cookies with
 * them from any site. So an upgrade is only accepted when its Origin is this site's own: the
 * request context's origin (PUBLIC_URL, or what a trusted proxy forwarded), or the request's own.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

export function isAllowedOrigin(origin: string | undefined, siteOrigin: string, requestUrl: string): boolean {
  if (!origin) return false;
  return origin === siteOrigin || origin === new URL(requestUrl).origin;
}

/** Generic over the router's Env, so routers that add variables of their own use it as it is. */
export function requireSameOriginUpgrade<E extends AppEnv>(): MiddlewareHandler<E> {
  return async (c, next) => {
    if (!isAllowedOrigin(c.req.header('origin'), c.get('origin'), c.req.url)) {
      return c.text('WebSocket connections are only accepted from this site’s own pages.', 403);
    }
    await next();
  };
}
