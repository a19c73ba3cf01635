/**
 * Every state-changing request must come from this site's own pages, whatever its content type
 * (hono/csrf checks form types only; a stray JSON or XML body is refused here too).
 *
 * Browsers that send Sec-Fetch-Site are judged by it alone: only `same-origin` passes, so a
 * cross-site request cannot pass by also claiming our Origin. (A form on one of our pages served
 * with no-referrer sends `Origin: null` but still `Sec-Fetch-Site: same-origin`.) Browsers too old
 * to send it are judged by Origin, which must be this site's; no Origin at all is refused.
 */
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env.ts';
import { isAllowedOrigin } from './ws-origin.ts';

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;

export function isSameOriginWrite(
  headers: { secFetchSite: string | undefined; origin: string | undefined },
  siteOrigin: string,
  requestUrl: string,
): boolean {
  if (headers.secFetchSite !== undefined) return headers.secFetchSite === 'same-origin';
  return isAllowedOrigin(headers.origin, siteOrigin, requestUrl);
}

/** Refuses (403, rendered by onError) any unsafe request that did not come from our own pages. */
export function refuseCrossSiteWrites(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE_METHOD.test(c.req.method)) {
      const headers = { secFetchSite: c.req.header('sec-fetch-site'), origin: c.req.header('origin') };
      if (!isSameOriginWrite(headers, c.get('origin'), c.req.url))
        throw new HTTPException(403, { message: 'cross-site request refused' });
    }
    await next();
  };
}
