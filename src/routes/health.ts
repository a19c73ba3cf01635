/** GET /healthz: 200 when this instance can reach its database, 503 otherwise (load balancers). */
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../app-env.ts';
import { appFactory } from './factory.ts';

export function healthRoutes(deps: Pick<AppDeps, 'db'>) {
  const app = appFactory.createApp();
  app.get('/healthz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      await deps.db.execute(sql`SELECT 1`);
      return c.text('ok');
    } catch {
      return c.text('database unreachable', 503);
    }
  });
  return app;
}
