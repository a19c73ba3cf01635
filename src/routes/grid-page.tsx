/**
 * The rooms grid as a whole page, optionally with a panel already open: the answer to a plain
 * (no-JS) cell choice or invite form, where htmx would have swapped the panel alone. The grid is
 * in the reader's zone and locale (readerOf).
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { columnStartOf, type HourWindow, loadGrid, WORKING_DAY, windowIncluding } from '../domain/grid.ts';
import { dateInZone, describeRange } from '../domain/time.ts';
import { roomCellId } from '../../views/ids.ts';
import { findUserByUsername, listPeople } from '../domain/users.ts';
import { paths } from '../../views/paths.ts';
import { RoomsPage, windowQuery } from '../../views/rooms.tsx';
import { accountChrome, currentUser, readerOf } from './account-context.tsx';
import { sendPage } from './respond.tsx';

export interface GridPageOptions {
  date: string;
  window?: HourWindow;
  withUsername?: string | null;
  panel?: Child;
  /** The cell whose panel is open (`roomCellId`). */
  chosenCellId?: string;
  status?: ContentfulStatusCode;
}

/** The grid around one cell (its date, its hour in view, the cell marked as chosen), in a zone. */
export function aroundCell(
  roomId: string,
  startsAt: Date,
  zone: string,
): Pick<GridPageOptions, 'date' | 'window' | 'chosenCellId'> {
  const column = columnStartOf(startsAt, zone);
  const hour = Number(describeRange(column, column, zone).startTime.slice(0, 2));
  return { date: dateInZone(startsAt, zone), window: windowIncluding(hour), chosenCellId: roomCellId(roomId, column) };
}

export type GridPageSender = (c: Context<AppEnv>, options: GridPageOptions) => Promise<Response>;

export function gridPageSender(deps: Pick<AppDeps, 'db' | 'config' | 'now'>): GridPageSender {
  const { db } = deps;
  return async (c, options) => {
    const { date, window = WORKING_DAY, withUsername = null, status = 200 } = options;
    const user = currentUser(c);
    const { zone, locale } = readerOf(c);
    const withUser = withUsername ? await findUserByUsername(db, withUsername) : null;
    const pair = withUser && withUser.id !== user.id ? { viewerId: user.id, withUserId: withUser.id } : null;
    const [grid, people] = await Promise.all([
      loadGrid(db, { date, zone, siteZone: deps.config.siteTimeZone, window, now: deps.now(), pair }),
      listPeople(db, user.id),
    ]);
    // The socket is told the zone the page was drawn in, so its pushes match the page.
    const live = paths.accountLive({ date, zone, with: withUser?.username, ...windowQuery(window) });
    const view = { grid, locale, people, withUser, chosenCellId: options.chosenCellId };
    return sendPage(
      c,
      <RoomsPage account={await accountChrome(deps, c, 'rooms')} live={live} view={view} panel={options.panel} />,
      status,
    );
  };
}
