/**
 * The rooms × hours grid of one date in the viewer's zone: the columns are the viewer's real hours
 * of that date (within a window of wall-clock hours, a working day unless asked otherwise), and each
 * room's open block sits in the column of the viewer-hour in which it starts, whatever the room's
 * own zone (a room in a :30 zone has its blocks at :30 there). Each cell has a state (open,
 * pending, booked, closed, past), who holds it, and, with an invitee chosen, whether both are free.
 */
import type { Database } from '../db/client.ts';
import { type RoomHours, roomBlocksBetween } from './availability.ts';
import { type Invite, listActiveInvitesBetween } from './invites.ts';
import { isRoomBlockOpen } from './room-blocks.ts';
import { findRoom, listActiveRooms, loadRoomHours, type Room, roomZone } from './rooms.ts';
import {
  columnStartOf,
  type GridColumn,
  gridColumns,
  type HourWindow,
  type Period,
  spanOf,
  WORKING_DAY,
} from './grid-hours.ts';
import { addDays, datesCovering, describeRange, isWorkableInstant, parseInstant, todayInZone } from './time.ts';

export {
  columnStartOf,
  type GridColumn,
  gridColumns,
  type HourWindow,
  type Period,
  parseHourWindow,
  spanOf,
  WORKING_DAY,
  windowIncluding,
} from './grid-hours.ts';

export type CellState = 'open' | 'pending' | 'booked' | 'closed' | 'past';

export interface GridCell {
  room: Room;
  column: GridColumn;
  /** The room's block starting in this column, or (none starting there) the column itself. */
  block: Period;
  /** The block is one of the room's open blocks. */
  isRoomBlock: boolean;
  state: CellState;
  invite: Invite | null;
  /** With an invitee chosen: the room is open and neither person is busy then. */
  bothFree: boolean;
}

export interface GridModel {
  /** The viewer's date and zone. */
  date: string;
  zone: string;
  /** The zone of rooms that have none of their own. */
  siteZone: string;
  today: string;
  previousDate: string;
  nextDate: string;
  window: HourWindow;
  columns: GridColumn[];
  rows: { room: Room; cells: GridCell[] }[];
}

/** Free means no accepted meeting and no pending invite (sent or received) overlapping that hour. */
export function busyPeriods(invites: readonly Invite[], userId: string): Invite[] {
  return invites.filter((invite) => invite.inviter.id === userId || invite.invitee?.id === userId);
}

export const overlaps = (a: Period, b: Period) =>
  a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();

export function cellStateOf(block: Period, open: boolean, invite: Invite | null, now: Date): CellState {
  if (invite)
    return invite.status === 'accepted' ? 'booked' : block.startsAt.getTime() <= now.getTime() ? 'past' : 'pending';
  if (block.startsAt.getTime() <= now.getTime()) return 'past';
  return open ? 'open' : 'closed';
}

/** Pure: the grid from rooms, their hours, the active invites of the span and the viewers. */
export function buildGrid(args: {
  date: string;
  zone: string;
  siteZone: string;
  window?: HourWindow;
  now: Date;
  rooms: readonly Room[];
  hours: Map<string, RoomHours>;
  invites: readonly Invite[];
  /** Viewer and chosen invitee: cells where both are free are marked. */
  pair?: { viewerId: string; withUserId: string } | null;
}): GridModel {
  const { date, zone, now } = args;
  const window = args.window ?? WORKING_DAY;
  const columns = gridColumns(date, zone, window);
  const span = spanOf(columns);
  const busy = args.pair
    ? [...busyPeriods(args.invites, args.pair.viewerId), ...busyPeriods(args.invites, args.pair.withUserId)]
    : null;
  const startsIn = (column: Period, instant: Date) =>
    instant.getTime() >= column.startsAt.getTime() && instant.getTime() < column.endsAt.getTime();

  const rows = args.rooms.map((room) => {
    // Blocks never overlap, and columns are real hours: at most one block starts in each column.
    const blocks = roomBlocksBetween(
      args.hours.get(room.id)!,
      roomZone(room, args.siteZone),
      span.startsAt,
      span.endsAt,
    );
    const held = args.invites.filter((invite) => invite.room.id === room.id);
    const cells = columns.map((column): GridCell => {
      const open = blocks.find((b) => startsIn(column, b.startsAt));
      // A hold is shown where it starts (it starts on one of the room's blocks, open when it was made).
      const startingHold = held.find((invite) => startsIn(column, invite.startsAt));
      const block: Period = open
        ? { startsAt: open.startsAt, endsAt: open.endsAt }
        : startingHold
          ? { startsAt: startingHold.startsAt, endsAt: startingHold.endsAt }
          : { startsAt: column.startsAt, endsAt: column.endsAt };
      const invite = startingHold ?? (open ? (held.find((i) => overlaps(i, block)) ?? null) : null);
      const state = cellStateOf(block, open !== undefined, invite, now);
      return {
        room,
        column,
        block,
        isRoomBlock: open !== undefined || startingHold !== undefined,
        state,
        invite,
        bothFree: state === 'open' && busy !== null && !busy.some((period) => overlaps(period, block)),
      };
    });
    return { room, cells };
  });
  return {
    date,
    zone,
    siteZone: args.siteZone,
    today: todayInZone(zone, now),
    previousDate: addDays(date, -1),
    nextDate: addDays(date, 1),
    window,
    columns,
    rows,
  };
}

/** Reads everything the grid of a date needs, in four queries. */
export async function loadGrid(
  db: Database,
  args: {
    date: string;
    zone: string;
    siteZone: string;
    window?: HourWindow;
    now: Date;
    pair?: { viewerId: string; withUserId: string } | null;
  },
): Promise<GridModel> {
  const rooms = await listActiveRooms(db);
  const span = spanOf(gridColumns(args.date, args.zone, args.window ?? WORKING_DAY));
  // The overrides of every date the span touches in any room's zone.
  const dates = new Set<string>();
  for (const room of rooms)
    for (const date of datesCovering(span.startsAt, span.endsAt, roomZone(room, args.siteZone))) dates.add(date);
  const hours = await loadRoomHours(
    db,
    rooms.map((r) => r.id),
    [...dates],
  );
  const invites = await listActiveInvitesBetween(db, span.startsAt, span.endsAt);
  return buildGrid({ ...args, rooms, hours, invites });
}

/** One cell, for its panel: the room, the period, whether it is open, who holds it. */
export interface CellDetails {
  room: Room;
  block: Period;
  open: boolean;
  invite: Invite | null;
  state: CellState;
}

const HOUR_MS = 3_600_000;
const QUARTER_HOUR_MS = 900_000;

/**
 * Reads the cell `roomId@start`: the hour from `start` (an ISO instant on a quarter hour, as every
 * block starts in every zone) in that room, or null.
 */
export async function loadCell(
  db: Database,
  args: { cellKey: string; siteZone: string; now: Date },
): Promise<CellDetails | null> {
  const [roomId, start] = args.cellKey.split('@');
  const startsAt = parseInstant(start ?? '');
  if (!roomId || !startsAt || !isWorkableInstant(startsAt) || startsAt.getTime() % QUARTER_HOUR_MS !== 0) return null;
  const room = await findRoom(db, roomId);
  if (!room || room.archivedAt) return null;
  const block = { startsAt, endsAt: new Date(startsAt.getTime() + HOUR_MS) };
  const invite =
    (await listActiveInvitesBetween(db, block.startsAt, block.endsAt)).find((i) => i.room.id === room.id) ?? null;
  const open = await isRoomBlockOpen(db, { room, ...block, siteZone: args.siteZone });
  return { room, block, open, invite, state: cellStateOf(block, open, invite, args.now) };
}

/** A cell read alone (loadCell) as the grid would show it in a zone: for the answer to an action. */
export function gridCellOf(cell: CellDetails, zone: string): GridCell {
  const startsAt = columnStartOf(cell.block.startsAt, zone);
  const column = {
    startsAt,
    endsAt: new Date(startsAt.getTime() + HOUR_MS),
    hour: Number(describeRange(startsAt, startsAt, zone).startTime.slice(0, 2)),
    repeated: false,
  };
  const isRoomBlock = cell.open || cell.invite?.startsAt.getTime() === cell.block.startsAt.getTime();
  return { ...cell, column, isRoomBlock, bothFree: false };
}
