/**
 * A form body that cannot be read (a broken multipart message, say) is refused once, here, with
 * 400 and the humane page, before any handler parses it. Handlers then read the parsed form from
 * Hono's body cache, whether through a validator or `parseBody()`.
 */
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

export function readableForm(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type && FORM_TYPES.has(type) && c.req.raw.body) {
      try {
        await c.req.parseBody();
      } catch (error) {
        throw new HTTPException(400, { message: 'Malformed form body', cause: error });
      }
    }
    await next();
  };
}
