/** GET /live: the one socket a signed-in page keeps (pop-ups, counts, and the grid it shows). */
import type { AppDeps } from '../app-env.ts';
import { parseDate } from '../domain/time.ts';
import type { AccountViewer } from '../realtime/account-feed.tsx';
import { liveSocket } from './live-socket.ts';
import { appFactory } from './factory.ts';

export function accountLiveRoutes(deps: AppDeps) {
  const app = appFactory.createApp();
  app.get(
    '/live',
    async (c, next) => {
      if (!c.get('user')) return c.text('Log in first.', 401);
      await next();
    },
    ...liveSocket(deps.live, (c) => {
      const user = c.get('user')!;
      const viewer: AccountViewer = {
        userId: user.id,
        sessionId: c.get('session')!.id,
        gridDate: parseDate(c.req.query('date') ?? ''),
        withUsername: c.req.query('with')?.slice(0, 64) || null,
        page: c.req.query('view') === 'inbox' ? 'inbox' : c.req.query('view') === 'agenda' ? 'agenda' : 'other',
        origin: c.get('origin'),
      };
      return (socket) => deps.live.accounts.connect(socket, viewer);
    }),
  );
  return app;
}
