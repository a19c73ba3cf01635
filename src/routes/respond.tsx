/**
 * Answering with HTML: a whole page for a normal request (through the page renderer), the fragment
 * for an htmx one (same partials), always with `Vary: HX-Request` so caches keep the two apart.
 */
import type { Context, Env } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ErrorMessage, ErrorPage, type ErrorContent } from '../../views/errors.tsx';
import { ids } from '../../views/ids.ts';
import { renderHtml } from '../../views/render.ts';

/** Whether htmx sent this request (it then wants a fragment). */
export function isHtmx<E extends Env>(c: Context<E>): boolean {
  return c.req.header('hx-request') === 'true';
}

/** A whole page with its status: `c.render` (doctype, asset URLs) plus the Vary header. */
export function sendPage<E extends Env>(
  c: Context<E>,
  page: Child,
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  c.header('Vary', 'HX-Request');
  c.status(status);
  return c.render(page);
}

export function sendFragment<E extends Env>(c: Context<E>, node: Child, status: ContentfulStatusCode = 200): Response {
  c.header('Vary', 'HX-Request');
  return c.html(renderHtml(node), status);
}

/** The page for a plain request, the fragment for htmx. */
export function sendEither<E extends Env>(
  c: Context<E>,
  status: ContentfulStatusCode,
  views: { page: () => Child; fragment: () => Child },
): Response | Promise<Response> {
  return isHtmx(c) ? sendFragment(c, views.fragment(), status) : sendPage(c, views.page(), status);
}

/**
 * An error a person must see: a humane page, or for htmx a message in the flash area (retargeted,
 * since the element the request meant to update is not the place for it).
 */
export function sendError<E extends Env>(c: Context<E>, error: ErrorContent): Response | Promise<Response> {
  const status = error.status as ContentfulStatusCode;
  if (isHtmx(c)) {
    c.header('HX-Retarget', `#${ids.flash}`);
    c.header('HX-Reswap', 'innerHTML');
    return sendFragment(c, <ErrorMessage error={error} />, status);
  }
  return sendPage(c, <ErrorPage error={error} />, status);
}
