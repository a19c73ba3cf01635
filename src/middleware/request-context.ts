/** Puts origin, viewer zone and client address on the context, once per request. */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env.ts';
import type { Config } from '../config.ts';
import { canonicalZone } from '../domain/time.ts';
import { pickLocale } from '../domain/locale.ts';
import { cookieNames } from '../../views/ids.ts';

export const TZ_COOKIE = cookieNames.zone;
export const TZ_PINNED_COOKIE = cookieNames.zonePinned;

function clientAddressOf(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    // The proxy appends the address it saw last; earlier entries are whatever the client claimed.
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

/** A host as a proxy forwards it: a name or IPv4 address, or a bracketed IPv6 one, and a port. */
const FORWARDED_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin the browser used, as a trusted reverse proxy reports it (X-Forwarded-Proto and
 * X-Forwarded-Host, else Host); undefined when the headers are missing or malformed. The first
 * value of a list is the one the outermost proxy saw from the browser.
 */
export function forwardedOrigin(header: (name: string) => string | undefined): string | undefined {
  const first = (name: string) => header(name)?.split(',')[0]?.trim().toLowerCase();
  const proto = first('x-forwarded-proto');
  const host = first('x-forwarded-host') || first('host');
  if ((proto !== 'http' && proto !== 'https') || !host || !FORWARDED_HOST.test(host)) return undefined;
  return `${proto}://${host}`;
}

export function requestContext(config: Pick<Config, 'publicUrl' | 'trustProxy'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // PUBLIC_URL when set; behind a trusted proxy, what it forwards; else the request's own.
    const forwarded =
      !config.publicUrl && config.trustProxy ? forwardedOrigin((name) => c.req.header(name)) : undefined;
    c.set('origin', config.publicUrl ?? forwarded ?? new URL(c.req.url).origin);
    c.set('viewerZone', canonicalZone(getCookie(c, TZ_COOKIE)));
    c.set('locale', pickLocale(c.req.header('accept-language')));
    c.set('clientAddress', clientAddressOf(c, config.trustProxy));
    await next();
  };
}
