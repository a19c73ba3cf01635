/** My meetings (the agenda): the landing page after logging in, and its list as a fragment for live refreshes. */
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { listAgenda } from '../domain/invites.ts';
import { AgendaList, AgendaPage, type AgendaView } from '../../views/agenda.tsx';
import { paths } from '../../views/paths.ts';
import { requireUser } from '../middleware/session.ts';
import { accountChrome, currentUser } from './account-context.tsx';
import { appFactory } from './factory.ts';
import { isHtmx, sendFragment, sendPage } from './respond.tsx';

export function meetingRoutes(deps: AppDeps) {
  const app = appFactory.createApp();
  app.use(paths.meetings(), requireUser());
  app.use(`${paths.meetings()}/*`, requireUser());

  async function loadAgenda(c: Context<AppEnv>): Promise<AgendaView> {
    const user = currentUser(c);
    const now = deps.now();
    const limit = deps.config.maxListRows;
    const { invites, more } = await listAgenda(deps.db, user.id, now, limit);
    const viewer = { id: user.id, timeZone: user.timeZone };
    return { invites, more, limit, viewer, locale: c.get('locale'), now, origin: c.get('origin') };
  }

  app.get(paths.meetings(), async (c) => {
    const view = await loadAgenda(c);
    const account = await accountChrome(deps, c, 'meetings');
    return sendPage(c, <AgendaPage account={account} live={paths.accountLive({ view: 'agenda' })} view={view} />);
  });

  app.get(paths.meetingsList(), async (c) => {
    if (!isHtmx(c)) return c.redirect(paths.meetings(), 303);
    return sendFragment(c, <AgendaList view={await loadAgenda(c)} />);
  });

  return app;
}
