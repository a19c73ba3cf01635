/**
 * The rooms grid on signed-in pages, live (the account feed's grid half): whole grids, the cells an
 * invite change touched, and one room's row when only that room changed. It remembers the layout
 * (date, columns, rooms in order) of the grid each socket was last sent whole: while that holds, a
 * renamed room or one whose hours changed is pushed as its row alone.
 */
import type { Child } from 'hono/jsx';
import type { Database } from '../db/client.ts';
import { type GridModel, loadGrid } from '../domain/grid.ts';
import { findUserById, findUserByUsername, type User } from '../domain/users.ts';
import { CellButton, type GridView, RoomGrid, RoomRow } from '../../views/rooms.tsx';
import type { AccountViewer } from './account-feed.tsx';
import type { Hub, Subscriber } from './hub.ts';
import { gridTopic, ROOMS_TOPIC } from './topics.ts';

type Sub = Subscriber<AccountViewer>;

/** Renders once per key and sends the same message to every subscriber with that key. */
export type FanOut = (
  subscribers: Sub[],
  keyOf: (s: Sub) => string,
  render: (s: Sub) => Promise<Child | null>,
) => Promise<void>;

export interface AccountGrids {
  /** The grid a socket opening on a rooms page starts with (null on other pages); to send at once. */
  opening(subscriber: Sub): Promise<GridView | null>;
  /** Whole grids, one render per (date, viewer zone, highlighted pair). */
  pushWhole(subscribers: Sub[]): Promise<void>;
  /** These cells (`roomId@hour`) of a date's grid changed. */
  pushCells(date: string, cellKeys: readonly string[]): Promise<void>;
  /** These rooms were renamed or their hours changed. */
  pushRoomRows(roomIds: readonly string[]): Promise<void>;
}

/** A grid's rows can be replaced one by one only while this stays the same. */
const layoutOf = (grid: GridModel) =>
  `${grid.date}|${grid.hours.join(',')}|${grid.rows.map((row) => row.room.id).join(',')}`;

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
   * The grid each subscriber shows, read once per (date, highlighted pair), with the key of its
   * render (that, and the viewer's zone). Subscribers without a grid, or gone, are left out.
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
      const user = viewer.gridDate ? await person(viewer.userId) : null;
      if (!user || !viewer.gridDate) continue;
      if (viewer.withUsername && !byUsername.has(viewer.withUsername))
        byUsername.set(viewer.withUsername, await findUserByUsername(db, viewer.withUsername));
      const withUser = viewer.withUsername ? byUsername.get(viewer.withUsername)! : null;
      const pair = withUser && withUser.id !== user.id ? { viewerId: user.id, withUserId: withUser.id } : null;
      const gridKey = `${viewer.gridDate}|${pair ? `${pair.viewerId}+${pair.withUserId}` : ''}`;
      if (!grids.has(gridKey))
        grids.set(gridKey, await loadGrid(db, { date: viewer.gridDate, zone: siteZone, now: deps.now(), pair }));
      const key = `${gridKey}|${user.timeZone}|${viewer.withUsername ? `${viewer.userId}+${viewer.withUsername}` : ''}`;
      views.set(subscriber, {
        key,
        view: { grid: grids.get(gridKey)!, viewerZone: user.timeZone, people: [], withUser },
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

  async function pushCells(date: string, cellKeys: readonly string[]): Promise<void> {
    const subscribers = hub.subscribersOf<AccountViewer>(gridTopic(date));
    // Highlighting depends on who is busy across the whole hour column: those get the whole grid.
    await pushWhole(subscribers.filter((s) => s.viewer.withUsername));
    const plain = subscribers.filter((s) => !s.viewer.withUsername);
    if (plain.length === 0) return;
    const zones = new Map<string, string>();
    for (const s of plain) zones.set(s.viewer.userId, (await findUserById(db, s.viewer.userId))?.timeZone ?? siteZone);
    const grid = await loadGrid(db, { date, zone: siteZone, now: deps.now() });
    const wanted = new Set(cellKeys);
    const cells = grid.rows.flatMap((row) => row.cells.filter((cell) => wanted.has(`${cell.room.id}@${cell.hour}`)));
    await fanOut(
      plain,
      (s) => zones.get(s.viewer.userId)!,
      async (s) => (
        <>
          {cells.map((cell) => (
            <CellButton cell={cell} siteZone={siteZone} date={date} viewerZone={zones.get(s.viewer.userId)!} oob />
          ))}
        </>
      ),
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
              <RoomRow row={row} grid={view.grid} viewerZone={view.viewerZone} oob />
            ))}
          </>
        );
      },
    );
    for (const subscriber of whole) layouts.set(subscriber, layout(views.get(subscriber)!.view.grid));
  }

  return { opening, pushWhole, pushCells, pushRoomRows };
}
