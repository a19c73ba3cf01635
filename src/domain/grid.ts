/**
 * The rooms × hours grid of one date in the site zone: each cell's state (open, pending, booked,
 * closed, past), who holds it, and, when an invitee is chosen, whether both people are free.
 */
import type { Database } from '../db/client.ts';
import { isBlockOpen, type RoomHours } from './availability.ts';
import { type Invite, listActiveInvitesBetween } from './invites.ts';
import { findRoom, listActiveRooms, loadRoomHours, type Room } from './rooms.ts';
import { addDays, blockStartingAt, type HourBlock, hourBlocksOfDate, parseInstant, todayInZone } from './time.ts';

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

/** Free means no accepted meeting and no pending invite (sent or received) that hour. */
export function busyStarts(invites: readonly Invite[], userId: string): Set<number> {
  const busy = new Set<number>();
  for (const invite of invites) {
    if (invite.inviter.id === userId || invite.invitee.id === userId) busy.add(invite.startsAt.getTime());
  }
  return busy;
}

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
  const byCell = new Map(args.invites.map((i) => [`${i.room.id}@${i.startsAt.getTime()}`, i]));
  const busy = args.pair
    ? new Set([...busyStarts(args.invites, args.pair.viewerId), ...busyStarts(args.invites, args.pair.withUserId)])
    : null;

  // Columns: from the earliest to the latest hour any room is open or held that day (09–17 if none).
  const used = new Set<number>();
  for (const room of args.rooms) {
    for (const block of blocks) {
      if (!block) continue;
      if (isBlockOpen(args.hours.get(room.id)!, block) || byCell.has(`${room.id}@${block.startsAt.getTime()}`))
        used.add(block.hour);
    }
  }
  const first = used.size ? Math.min(...used) : 9;
  const last = used.size ? Math.max(...used) : 16;
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);

  const rows = args.rooms.map((room) => ({
    room,
    cells: hours.map((hour): GridCell => {
      const block = blocks[hour] ?? null;
      const invite = block ? (byCell.get(`${room.id}@${block.startsAt.getTime()}`) ?? null) : null;
      const open = block ? isBlockOpen(args.hours.get(room.id)!, block) : false;
      const state = cellStateOf(block, open, invite, now);
      return {
        room,
        hour,
        block,
        state,
        invite,
        bothFree: state === 'open' && busy !== null && !busy.has(block!.startsAt.getTime()),
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
  const hours = await loadRoomHours(
    db,
    rooms.map((r) => r.id),
    [args.date],
  );
  const blocks = hourBlocksOfDate(args.date, args.zone).filter((b): b is HourBlock => b !== null);
  const from = blocks[0]?.startsAt ?? new Date(0);
  const to = blocks[blocks.length - 1]?.endsAt ?? new Date(0);
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
  const hours = (await loadRoomHours(db, [room.id], [block.date])).get(room.id)!;
  const invite =
    (await listActiveInvitesBetween(db, block.startsAt, block.endsAt)).find((i) => i.room.id === room.id) ?? null;
  const open = isBlockOpen(hours, block);
  return { room, block, open, invite, state: cellStateOf(block, open, invite, args.now) };
}
