/**
 * Headers on every response. The CSP allows scripts and styles from this origin only (no inline
 * script, no `style=`, no eval): htmx runs with allowEval off and its indicator styles live in our
 * stylesheet. connect-src 'self' covers the same-origin WebSocket.
 */
import type { MiddlewareHandler } from 'hono';
import { CAPABILITY_PATH } from '../../views/paths.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    // Capability links live in paths: no page ever tells another site where it was.
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('X-Frame-Options', 'DENY');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    // Pages reached through a secret link (dashboard, scheduling page, manage link), and every other
    // answer under those paths (fragments, files, refusals): never indexed, never stored by caches
    // along the way. Decided here, by path, so even a request refused before routing gets them.
    if (CAPABILITY_PATH.test(c.req.path)) {
      headers.set('X-Robots-Tag', 'noindex, nofollow');
      headers.set('Cache-Control', 'no-store');
    }
  };
}
