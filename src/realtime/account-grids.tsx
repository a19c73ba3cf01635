/**
 * The rooms grid on signed-in pages, live (the account feed's grid half): whole grids, the cells a
 * hold change touched, and one room's row when only that room changed. Each page's grid is its own
 * date and hours read in its own zone and locale: grids are read once per distinct (date, zone,
 * hours, highlighted pair) and rendered once per distinct view (that, and the locale). It remembers
 * the layout (date, columns, rooms in order) of the grid each socket was last sent whole: while
 * that holds, a renamed room or one whose hours changed is pushed as its row alone.
 */
import type { Child } from 'hono/jsx';
import type { Database } from '../db/client.ts';
import { type GridModel, gridColumns, type HourWindow, loadGrid, overlaps, spanOf } from '../domain/grid.ts';
import type { Locale } from '../domain/locale.ts';
import { datesCovering } from '../domain/time.ts';
import { findUserById, findUserByUsername, type User } from '../domain/users.ts';
import { CellButton, type GridView, RoomGrid, RoomRow } from '../../views/room-grid.tsx';
import type { AccountViewer } from './account-feed.tsx';
import type { Hub, Subscriber } from './hub.ts';
import { gridTopic, parseCellChangeKey, ROOMS_TOPIC } from './topics.ts';

type Sub = Subscriber<AccountViewer>;

/** The grid a rooms page shows: its date and hours, and the zone and locale it reads them in. */
export interface GridViewer {
  date: string;
  zone: string;
  locale: Locale;
  window: HourWindow;
}

/** The UTC dates (grid topics) a page's hours touch: one or two. */
export function gridUtcDates(viewer: GridViewer): string[] {
  const span = spanOf(gridColumns(viewer.date, viewer.zone, viewer.window));
  return datesCovering(span.startsAt, span.endsAt, 'UTC');
}

/** Renders once per key and sends the same message to every subscriber with that key. */
export type FanOut = (
  subscribers: Sub[],
  keyOf: (s: Sub) => string,
  render: (s: Sub) => Promise<Child | null>,
) => Promise<void>;

export interface AccountGrids {
  /** The grid a socket opening on a rooms page starts with (null on other pages); to send at once. */
  opening(subscriber: Sub): Promise<GridView | null>;
  /** Whole grids, one render per distinct view. */
  pushWhole(subscribers: Sub[]): Promise<void>;
  /** Holds (`cellChangeKey`) changed on a UTC date: the cells showing them, on the grids covering it. */
  pushCells(utcDate: string, changeKeys: readonly string[]): Promise<void>;
  /** These rooms were renamed or their hours changed. */
  pushRoomRows(roomIds: readonly string[]): Promise<void>;
}

/** A grid's rows can be replaced one by one only while this stays the same. */
const layoutOf = (grid: GridModel) =>
  `${grid.date}|${grid.zone}|${grid.columns.map((c) => c.startsAt.getTime()).join(',')}|${grid.rows.map((row) => row.room.id).join(',')}`;

/** What a grid read depends on, besides the highlighted pair. */
const readKeyOf = (grid: GridViewer) => `${grid.date}|${grid.zone}|${grid.window.from}-${grid.window.to}`;

export function createAccountGrids(deps: {
  db: Database;
  hub: Hub;
  now: () => Date;
  siteZone: string;
  fanOut: FanOut;
}): AccountGrids {
  const { db, hub, siteZone, fanOut } = deps;
  const layouts = new WeakMap<Sub, string>();

  /**
   * The grid each subscriber shows, read once per (date, zone, hours, highlighted pair), with the
   * key of its render (that, and the locale). Subscribers without a grid, or gone, are left out.
   */
  async function viewsOf(subscribers: Sub[]): Promise<Map<Sub, { key: string; view: GridView }>> {
    const people = new Map<string, User | null>();
    const person = async (id: string) => {
      if (!people.has(id)) people.set(id, await findUserById(db, id));
      return people.get(id)!;
    };
    const byUsername = new Map<string, User | null>();
    const grids = new Map<string, GridModel>();
    const views = new Map<Sub, { key: string; view: GridView }>();
    for (const subscriber of subscribers) {
      const { viewer } = subscriber;
      const shown = viewer.grid;
      const user = shown ? await person(viewer.userId) : null;
      if (!user || !shown) continue;
      if (viewer.withUsername && !byUsername.has(viewer.withUsername))
        byUsername.set(viewer.withUsername, await findUserByUsername(db, viewer.withUsername));
      const withUser = viewer.withUsername ? byUsername.get(viewer.withUsername)! : null;
      const pair = withUser && withUser.id !== user.id ? { viewerId: user.id, withUserId: withUser.id } : null;
      const gridKey = `${readKeyOf(shown)}|${pair ? `${pair.viewerId}+${pair.withUserId}` : ''}`;
      if (!grids.has(gridKey))
        grids.set(
          gridKey,
          await loadGrid(db, {
            date: shown.date,
            zone: shown.zone,
            window: shown.window,
            siteZone,
            now: deps.now(),
            pair,
          }),
        );
      const key = `${gridKey}|${shown.locale}|${viewer.withUsername ? `${viewer.userId}+${viewer.withUsername}` : ''}`;
      views.set(subscriber, {
        key,
        view: { grid: grids.get(gridKey)!, locale: shown.locale, people: [], withUser },
      });
    }
    return views;
  }

  async function opening(subscriber: Sub): Promise<GridView | null> {
    const view = (await viewsOf([subscriber])).get(subscriber)?.view ?? null;
    if (view) layouts.set(subscriber, layoutOf(view.grid));
    return view;
  }

  async function pushWhole(subscribers: Sub[]): Promise<void> {
    const views = await viewsOf(subscribers);
    const targets = subscribers.filter((s) => views.has(s));
    await fanOut(
      targets,
      (s) => views.get(s)!.key,
      async (s) => <RoomGrid view={views.get(s)!.view} oob />,
    );
    for (const subscriber of targets) layouts.set(subscriber, layoutOf(views.get(subscriber)!.view.grid));
  }

  async function pushCells(utcDate: string, changeKeys: readonly string[]): Promise<void> {
    const subscribers = hub.subscribersOf<AccountViewer>(gridTopic(utcDate));
    // Highlighting depends on who is busy across the whole hour column: those get the whole grid.
    await pushWhole(subscribers.filter((s) => s.viewer.withUsername));
    const plain = subscribers.filter((s) => !s.viewer.withUsername && s.viewer.grid);
    if (plain.length === 0) return;
    const changes = changeKeys.map(parseCellChangeKey).filter((change) => change !== null);
    // One read per distinct (date, zone, hours); its changed cells are those showing a changed hold
    // (where it starts) or whose hour it overlaps.
    const cellsByRead = new Map<string, { grid: GridModel; cells: GridModel['rows'][number]['cells'] }>();
    for (const s of plain) {
      const shown = s.viewer.grid!;
      const readKey = readKeyOf(shown);
      if (cellsByRead.has(readKey)) continue;
      const grid = await loadGrid(db, { ...shown, siteZone, now: deps.now() });
      const cells = grid.rows.flatMap((row) =>
        row.cells.filter((cell) =>
          changes.some(
            (change) =>
              change.roomId === cell.room.id && (overlaps(change, cell.block) || overlaps(change, cell.column)),
          ),
        ),
      );
      cellsByRead.set(readKey, { grid, cells });
    }
    await fanOut(
      plain,
      (s) => `${readKeyOf(s.viewer.grid!)}|${s.viewer.grid!.locale}`,
      async (s) => {
        const { grid, cells } = cellsByRead.get(readKeyOf(s.viewer.grid!))!;
        if (cells.length === 0) return null;
        return (
          <>
            {cells.map((cell) => (
              <CellButton cell={cell} zone={grid.zone} siteZone={siteZone} locale={s.viewer.grid!.locale} oob />
            ))}
          </>
        );
      },
    );
  }

  /**
   * Each open grid is sent the rooms' rows only, unless its columns or order of rooms changed
   * with them, or one of the rooms is not in it (then the grid whole, as for a room added).
   */
  async function pushRoomRows(roomIds: readonly string[]): Promise<void> {
    const subscribers = hub.subscribersOf<AccountViewer>(ROOMS_TOPIC);
    const views = await viewsOf(subscribers);
    const targets = subscribers.filter((s) => views.has(s));
    const gridLayouts = new Map<GridModel, string>();
    const layout = (grid: GridModel) => gridLayouts.get(grid) ?? gridLayouts.set(grid, layoutOf(grid)).get(grid)!;
    const whole = new Set(
      targets.filter((s) => {
        const { grid } = views.get(s)!.view;
        return layouts.get(s) !== layout(grid) || !roomIds.every((id) => grid.rows.some((row) => row.room.id === id));
      }),
    );
    await fanOut(
      targets,
      (s) => `${whole.has(s) ? 'grid' : 'rows'}|${views.get(s)!.key}`,
      async (s) => {
        const { view } = views.get(s)!;
        if (whole.has(s)) return <RoomGrid view={view} oob />;
        const rows = view.grid.rows.filter((row) => roomIds.includes(row.room.id));
        return (
          <>
            {rows.map((row) => (
              <RoomRow row={row} grid={view.grid} locale={view.locale} oob />
            ))}
          </>
        );
      },
    );
    for (const subscriber of whole) layouts.set(subscriber, layout(views.get(subscriber)!.view.grid));
  }

  return { opening, pushWhole, pushCells, pushRoomRows };
}
