/**
 * Fixed-window rate limits kept in memory, per key (client address), for the hot paths (booking,
 * creating schedules): per instance, and cheap. Limits that must hold across instances (logins,
 * registrations) are counted in the database instead (src/auth/login-limits.ts). Limits are
 * configuration; the defaults are far above what a person clicking reaches.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';

export interface RateLimiter {
  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, now: number): number;
}

export function createRateLimiter(options: { limit: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  return {
    hit(key, now) {
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        if (windows.size >= maxKeys) {
          for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        window = { count: 0, resetAt: now + options.windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return window.count > options.limit ? Math.ceil((window.resetAt - now) / 1000) : 0;
    },
  };
}

/** Refuses with 429 and a message (rendered by `refuse`) once a client is over the limit. */
export function rateLimit<E extends AppEnv>(
  limiter: RateLimiter,
  now: () => Date,
  refuse: (c: Context<E>, retryAfterSeconds: number) => Response | Promise<Response>,
): MiddlewareHandler<E> {
  return async (c, next) => {
    const wait = limiter.hit(c.get('clientAddress'), now().getTime());
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return refuse(c, wait);
    }
    await next();
  };
}
