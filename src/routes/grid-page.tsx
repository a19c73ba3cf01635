/**
 * The rooms grid as a whole page, optionally with a panel already open: the answer to a plain
 * (no-JS) cell choice or invite form, where htmx would have swapped the panel alone.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { loadGrid } from '../domain/grid.ts';
import { findUserByUsername, listPeople } from '../domain/users.ts';
import { paths } from '../../views/paths.ts';
import { RoomsPage } from '../../views/rooms.tsx';
import { accountChrome, currentUser } from './account-context.tsx';
import { sendPage } from './respond.tsx';

export type GridPageSender = (
  c: Context<AppEnv>,
  date: string,
  withUsername: string | null,
  panel?: Child,
  status?: ContentfulStatusCode,
) => Promise<Response>;

export function gridPageSender(deps: Pick<AppDeps, 'db' | 'config' | 'now'>): GridPageSender {
  const { db } = deps;
  const zone = deps.config.siteTimeZone;
  return async (c, date, withUsername, panel, status = 200) => {
    const user = currentUser(c);
    const withUser = withUsername ? await findUserByUsername(db, withUsername) : null;
    const pair = withUser && withUser.id !== user.id ? { viewerId: user.id, withUserId: withUser.id } : null;
    const [grid, people] = await Promise.all([
      loadGrid(db, { date, zone, now: deps.now(), pair }),
      listPeople(db, user.id),
    ]);
    const live = paths.accountLive({ date, with: withUser?.username });
    const view = { grid, viewerZone: user.timeZone, people, withUser };
    return sendPage(
      c,
      <RoomsPage account={await accountChrome(deps, c, 'rooms')} live={live} view={view} panel={panel} />,
      status,
    );
  };
}
