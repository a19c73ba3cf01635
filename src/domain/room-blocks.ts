/**
 * A room's open blocks as instants, read from the database: the day's blocks in the room's own
 * zone (the site zone for a room without one), and whether a period is one of them (the check an
 * invite passes before it may hold the room).
 */
import type { Database, Tx } from '../db/client.ts';
import { isOpenBlock, type RoomBlock, roomBlocksOfDate } from './availability.ts';
import { findRoom, loadRoomHours, type Room, roomZone } from './rooms.ts';
import { dateInZone, isWorkableInstant, parseDate } from './time.ts';

/**
 * A room's open blocks on a date of its own zone, in time order: `{startsAt, endsAt, localLabel,
 * repeated}` (and `localTime`, `date`). Null when there is no such active room or date.
 */
export async function listRoomDayBlocks(
  db: Database | Tx,
  args: { roomId: string; date: string; siteZone: string },
): Promise<RoomBlock[] | null> {
  const room = await findRoom(db, args.roomId);
  const date = parseDate(args.date);
  if (!room || room.archivedAt || !date) return null;
  const hours = (await loadRoomHours(db, [room.id], [date])).get(room.id)!;
  return roomBlocksOfDate(hours, date, roomZone(room, args.siteZone));
}

/**
 * Whether `[startsAt, endsAt)` is exactly one of the room's open blocks (its date's weekly hours
 * and overrides, in its zone). Inside a transaction that holds the room's lock, the answer stands
 * until the commit.
 */
export async function isRoomBlockOpen(
  db: Database | Tx,
  args: { room: Pick<Room, 'id' | 'timeZone'>; startsAt: Date; endsAt: Date; siteZone: string },
): Promise<boolean> {
  const { room, startsAt, endsAt } = args;
  if (!isWorkableInstant(startsAt) || !isWorkableInstant(endsAt)) return false;
  const zone = roomZone(room, args.siteZone);
  const date = dateInZone(startsAt, zone);
  const hours = (await loadRoomHours(db, [room.id], [date])).get(room.id)!;
  return isOpenBlock(hours, zone, { startsAt, endsAt });
}
