/**
 * The rooms × hours grid of one date in the site zone: each cell's state (open, pending, booked,
 * closed, past), who holds it, and, when an invitee is chosen, whether both people are free. A
 * cell is open when its site-zone hour is exactly one of the room's open blocks (counted in the
 * room's own zone), so a room whose blocks start elsewhere in the hour shows closed here.
 */
import type { Database } from '../db/client.ts';
import { type RoomHours, roomBlocksBetween } from './availability.ts';
import { type Invite, listActiveInvitesBetween } from './invites.ts';
import { isRoomBlockOpen } from './room-blocks.ts';
import { findRoom, listActiveRooms, loadRoomHours, type Room, roomZone } from './rooms.ts';
import {
  addDays,
  blockStartingAt,
  datesCovering,
  type HourBlock,
  hourBlocksOfDate,
  parseInstant,
  todayInZone,
} from './time.ts';

export type CellState = 'open' | 'pending' | 'booked' | 'closed' | 'past';

export interface GridCell {
  room: Room;
  hour: number;
  /** null when the clocks skip this hour on this date. */
  block: HourBlock | null;
  state: CellState;
  invite: Invite | null;
  /** With an invitee chosen: the room is open and neither person is busy then. */
  bothFree: boolean;
}

export interface GridModel {
  date: string;
  today: string;
  previousDate: string;
  nextDate: string;
  zone: string;
  /** Wall-clock hours shown as columns. */
  hours: number[];
  rows: { room: Room; cells: GridCell[] }[];
}

/** Free means no accepted meeting and no pending invite (sent or received) overlapping that hour. */
export function busyPeriods(invites: readonly Invite[], userId: string): Invite[] {
  return invites.filter((invite) => invite.inviter.id === userId || invite.invitee?.id === userId);
}

const overlaps = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) =>
  a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();

export function cellStateOf(block: HourBlock | null, open: boolean, invite: Invite | null, now: Date): CellState {
  if (!block) return 'closed';
  if (invite)
    return invite.status === 'accepted' ? 'booked' : block.startsAt.getTime() <= now.getTime() ? 'past' : 'pending';
  if (block.startsAt.getTime() <= now.getTime()) return 'past';
  return open ? 'open' : 'closed';
}

/** Pure: the grid from rooms, their hours, the active invites of the date and the viewers. */
export function buildGrid(args: {
  date: string;
  zone: string;
  now: Date;
  rooms: readonly Room[];
  hours: Map<string, RoomHours>;
  invites: readonly Invite[];
  /** Viewer and chosen invitee: cells where both are free are marked. */
  pair?: { viewerId: string; withUserId: string } | null;
}): GridModel {
  const { date, zone, now } = args;
  const blocks = hourBlocksOfDate(date, zone);
  const day = blocks.filter((b): b is HourBlock => b !== null);
  const from = day[0]?.startsAt ?? new Date(0);
  const to = day[day.length - 1]?.endsAt ?? new Date(0);
  // Each room's open block starts that day, counted in its own zone.
  const openStarts = new Map(
    args.rooms.map((room) => [
      room.id,
      new Set(
        roomBlocksBetween(args.hours.get(room.id)!, roomZone(room, zone), from, to).map((b) => b.startsAt.getTime()),
      ),
    ]),
  );
  const isOpen = (room: Room, block: HourBlock) => openStarts.get(room.id)!.has(block.startsAt.getTime());
  // A hold shows in every cell whose hour it overlaps (a room in a :30 zone holds two site hours).
  const held = (room: Room, block: HourBlock) =>
    args.invites.find((i) => i.room.id === room.id && overlaps(i, block)) ?? null;
  const busy = args.pair
    ? [...busyPeriods(args.invites, args.pair.viewerId), ...busyPeriods(args.invites, args.pair.withUserId)]
    : null;

  // Columns: from the earliest to the latest hour any room is open or held that day (09–17 if none).
  const used = new Set<number>();
  for (const room of args.rooms) {
    for (const block of blocks) {
      if (!block) continue;
      if (isOpen(room, block) || held(room, block)) used.add(block.hour);
    }
  }
  const first = used.size ? Math.min(...used) : 9;
  const last = used.size ? Math.max(...used) : 16;
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);

  const rows = args.rooms.map((room) => ({
    room,
    cells: hours.map((hour): GridCell => {
      const block = blocks[hour] ?? null;
      const invite = block ? held(room, block) : null;
      const open = block ? isOpen(room, block) : false;
      const state = cellStateOf(block, open, invite, now);
      return {
        room,
        hour,
        block,
        state,
        invite,
        bothFree: state === 'open' && busy !== null && !busy.some((period) => overlaps(period, block!)),
      };
    }),
  }));
  return {
    date,
    today: todayInZone(zone, now),
    previousDate: addDays(date, -1),
    nextDate: addDays(date, 1),
    zone,
    hours,
    rows,
  };
}

/** Reads everything the grid of a date needs, in four queries. */
export async function loadGrid(
  db: Database,
  args: { date: string; zone: string; now: Date; pair?: { viewerId: string; withUserId: string } | null },
): Promise<GridModel> {
  const rooms = await listActiveRooms(db);
  const blocks = hourBlocksOfDate(args.date, args.zone).filter((b): b is HourBlock => b !== null);
  const from = blocks[0]?.startsAt ?? new Date(0);
  const to = blocks[blocks.length - 1]?.endsAt ?? new Date(0);
  // The overrides of every date the day touches in any room's zone (a day and its neighbours).
  const dates = new Set([addDays(args.date, -1), args.date, addDays(args.date, 1)]);
  for (const room of rooms) for (const date of datesCovering(from, to, roomZone(room, args.zone))) dates.add(date);
  const hours = await loadRoomHours(
    db,
    rooms.map((r) => r.id),
    [...dates],
  );
  const invites = await listActiveInvitesBetween(db, from, to);
  return buildGrid({ ...args, rooms, hours, invites });
}

/** One cell, for its panel: the room, the block, whether it is open, who holds it. */
export interface CellDetails {
  room: Room;
  block: HourBlock;
  open: boolean;
  invite: Invite | null;
  state: CellState;
}

/** Reads the cell `roomId@start` (an ISO instant starting a site-zone hour), or null. */
export async function loadCell(
  db: Database,
  args: { cellKey: string; zone: string; now: Date },
): Promise<CellDetails | null> {
  const [roomId, start] = args.cellKey.split('@');
  const startsAt = parseInstant(start ?? '');
  if (!roomId || !startsAt) return null;
  const room = await findRoom(db, roomId);
  const block = blockStartingAt(startsAt, args.zone);
  if (!room || room.archivedAt || !block) return null;
  const invite =
    (await listActiveInvitesBetween(db, block.startsAt, block.endsAt)).find((i) => i.room.id === room.id) ?? null;
  const open = await isRoomBlockOpen(db, { room, startsAt: block.startsAt, endsAt: block.endsAt, siteZone: args.zone });
  return { room, block, open, invite, state: cellStateOf(block, open, invite, args.now) };
}
