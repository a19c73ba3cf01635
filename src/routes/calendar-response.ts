/** Answering with a calendar file. */
import type { Context, Env } from 'hono';

export function sendCalendar<E extends Env>(c: Context<E>, body: string, fileName: string): Response {
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(body);
}
