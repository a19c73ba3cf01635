/**
 * One line per request, with secrets redacted: the segment after /admin/, /s/ and /b/ (admin keys,
 * public ids, manage keys) and anything shaped like a key anywhere in the path, in any case or
 * percent-encoding. The query string is never logged. Error text gets the same treatment.
 */
import type { MiddlewareHandler } from 'hono';

const SECRET_PARENT = /^(admin|s|b)$/i;
/** Keys are 32 letters and digits; hashes 64. Nothing we log for its own sake is that long. */
const KEY_LIKE = /[A-Za-z0-9]{24,}/g;

function decoded(segment: string): string {
  let text = segment;
  for (let i = 0; i < 3; i++) {
    try {
      const next = decodeURIComponent(text);
      if (next === text) break;
      text = next;
    } catch {
      break;
    }
  }
  return text;
}

/** A path safe to write to logs (pass the path only, never the query string). */
export function redactPath(path: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      const parent = i > 0 ? decoded(segments[i - 1]!) : '';
      const text = decoded(segment);
      return SECRET_PARENT.test(parent) || text.search(KEY_LIKE) >= 0 || /[/?#]/.test(text) ? '[redacted]' : segment;
    })
    .join('/');
}

/**
 * Error text safe to write to logs: key-shaped runs are replaced, and the parameters drizzle adds
 * to a failed query's message (keys, names, emails) are dropped.
 */
export function redactSecrets(text: string): string {
  return text.replace(/^(\s*params:).*$/gm, '$1 [redacted]').replace(KEY_LIKE, '[redacted]');
}

export function requestLog(write: (line: string) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = (performance.now() - started).toFixed(1);
    write(`${c.req.method} ${redactPath(c.req.path)} ${c.res.status} ${ms}ms`);
  };
}
