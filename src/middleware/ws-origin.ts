/**
 * WebSocket upgrades are GET requests, which CSRF protection skips, and browsers send cookies with
 * them from any site. So an upgrade is only accepted when its Origin is this site's own.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

export function isAllowedOrigin(origin: string | undefined, requestUrl: string, publicUrl: string | undefined): boolean {
  if (!origin) return false;
  if (origin === new URL(requestUrl).origin) return true;
  return publicUrl !== undefined && origin === new URL(publicUrl).origin;
}

export function requireSameOriginUpgrade(publicUrl: string | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isAllowedOrigin(c.req.header('origin'), c.req.url, publicUrl)) {
      return c.text('WebSocket connections are only accepted from this site’s own pages.', 403);
    }
    await next();
  };
}
