/** Puts origin, viewer zone and client address on the context, once per request. */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.ts';
import type { Config } from '../config.ts';
import { canonicalZone } from '../domain/time.ts';

export const TZ_COOKIE = 'tz';
export const TZ_PINNED_COOKIE = 'tz_pinned';

function clientAddressOf(c: Parameters<MiddlewareHandler<AppEnv>>[0], trustProxy: boolean): string {
  if (trustProxy) {
    // The proxy appends the address it saw last; earlier entries are whatever the client claimed.
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function requestContext(config: Pick<Config, 'publicUrl' | 'trustProxy'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('origin', config.publicUrl ?? new URL(c.req.url).origin);
    c.set('viewerZone', canonicalZone(getCookie(c, TZ_COOKIE)));
    c.set('clientAddress', clientAddressOf(c, config.trustProxy));
    await next();
  };
}
