/**
 * Answering with HTML: a whole page for a normal request, the fragment for an htmx one (same
 * partials), always with `Vary: HX-Request` so caches keep the two apart.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ErrorMessage, ErrorPage, type ErrorContent } from '../../views/errors.tsx';
import { ids } from '../../views/ids.ts';
import type { AssetUrls } from '../../views/layout.tsx';
import { renderHtml, renderPage } from '../../views/render.ts';

/** Whether htmx sent this request (it then wants a fragment). */
export function isHtmx(c: Context): boolean {
  return c.req.header('hx-request') === 'true';
}

export function sendPage(c: Context, node: Child, status: ContentfulStatusCode = 200): Response {
  c.header('Vary', 'HX-Request');
  return c.html(renderPage(node), status);
}

export function sendFragment(c: Context, node: Child, status: ContentfulStatusCode = 200): Response {
  c.header('Vary', 'HX-Request');
  return c.html(renderHtml(node), status);
}

/** The page for a plain request, the fragment for htmx. */
export function sendEither(c: Context, status: ContentfulStatusCode, views: { page: () => Child; fragment: () => Child }): Response {
  return isHtmx(c) ? sendFragment(c, views.fragment(), status) : sendPage(c, views.page(), status);
}

/**
 * An error a person must see: a humane page, or for htmx a message in the flash area (retargeted,
 * since the element the request meant to update is not the place for it).
 */
export function sendError(c: Context, assets: AssetUrls, error: ErrorContent): Response {
  const status = error.status as ContentfulStatusCode;
  if (isHtmx(c)) {
    c.header('HX-Retarget', `#${ids.flash}`);
    c.header('HX-Reswap', 'innerHTML');
    return sendFragment(c, <ErrorMessage error={error} />, status);
  }
  return sendPage(c, <ErrorPage assets={assets} error={error} />, status);
}
