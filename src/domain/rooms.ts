/**
 * Rooms and their open hours. Every change that could strand a meeting (closing hours, archiving)
 * first locks the room's row, as does creating an invite: the two can never interleave, so an hour
 * that holds a meeting or a pending invite is never closed under it.
 */
import { and, asc, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../db/client.ts';
import { isConstraintViolation } from '../db/errors.ts';
import { invites, roomHourOverrides, rooms, roomWeeklyHours, type RoomRow } from '../db/schema.ts';
import { isOpenBlock, type RoomHours, type WeeklyHours } from './availability.ts';
import { optionalZoneField, requiredLineField, textField } from './forms.ts';
import { isUuid } from './ids.ts';
import { dateInZone, describeRange } from './time.ts';

export interface Room {
  id: string;
  name: string;
  description: string;
  /** Where the room is; null: the site zone. Its hours are wall-clock hours there. */
  timeZone: string | null;
  archivedAt: Date | null;
}

export function toRoom(row: RoomRow): Room {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    timeZone: row.timeZone,
    archivedAt: row.archivedAt,
  };
}

/** The zone a room's hours are counted in. */
export function roomZone(room: Pick<Room, 'timeZone'>, siteZone: string): string {
  return room.timeZone ?? siteZone;
}

export const RoomForm = z.object({
  name: requiredLineField('Name', 60, 'Give the room a name.'),
  description: textField('Description', 500),
  /** Empty: the site zone. */
  timeZone: optionalZoneField(),
});
/** A room's details as saved: no zone given is the site zone. */
export type RoomInput = Omit<z.output<typeof RoomForm>, 'timeZone'> & { timeZone?: string | null };

export const isRoomId = isUuid;

export type RoomSaveResult =
  | { ok: true; room: Room }
  | { ok: false; reason: 'name-taken' | 'not-found' }
  | { ok: false; reason: 'in-use'; blockers: Blocker[] };

export type CreateRoomResult = { ok: true; room: Room } | { ok: false; reason: 'name-taken' | 'too-many' };

/** Any fixed number: room creations take turns on this transaction-level advisory lock. */
const ROOM_CREATION_LOCK = 7_270_002;

/**
 * Adds a room. With `maxRooms`, refused ('too-many') when the site already has that many, archived
 * ones included: creations take turns on one advisory lock held to the commit, so the count each
 * reads is final and parallel creations never pass the cap. (Only the seed loader omits it.)
 */
export async function createRoom(
  db: Database,
  input: RoomInput,
  weekly?: WeeklyHours,
  limits: { maxRooms?: number } = {},
): Promise<CreateRoomResult> {
  const { maxRooms } = limits;
  try {
    return await db.transaction(async (tx) => {
      if (maxRooms !== undefined) {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(ROOM_CREATION_LOCK))})`);
        const [existing] = await tx.select({ n: count() }).from(rooms);
        if ((existing?.n ?? 0) >= maxRooms) return { ok: false as const, reason: 'too-many' as const };
      }
      const [row] = await tx.insert(rooms).values(input).returning();
      if (weekly) await writeWeekly(tx, row!.id, weekly);
      return { ok: true as const, room: toRoom(row!) };
    });
  } catch (error) {
    if (isConstraintViolation(error, 'rooms_name_active_key')) return { ok: false, reason: 'name-taken' };
    throw error;
  }
}

/**
 * Saves a room's details. Moving it to another zone moves its open hours in time, so that is
 * refused while a pending invite or meeting would be left outside them (under the room's lock, as
 * for an hours change).
 */
export async function updateRoom(
  db: Database,
  roomId: string,
  input: RoomInput,
  now: Date,
  siteZone: string,
): Promise<RoomSaveResult> {
  if (!isRoomId(roomId)) return { ok: false, reason: 'not-found' };
  try {
    return await db.transaction(async (tx): Promise<RoomSaveResult> => {
      const room = await lockRoom(tx, roomId);
      if (!room) return { ok: false, reason: 'not-found' };
      const zone = roomZone({ timeZone: input.timeZone ?? null }, siteZone);
      if (zone !== roomZone(room, siteZone)) {
        const hours = (await loadRoomHours(tx, [roomId])).get(roomId)!;
        const stranded = (await activeFutureInvites(tx, roomId, now)).filter(strandedBy(hours, zone));
        if (stranded.length) return { ok: false, reason: 'in-use', blockers: blockersOf(stranded, zone) };
      }
      const [row] = await tx
        .update(rooms)
        .set({ ...input, timeZone: input.timeZone ?? null })
        .where(eq(rooms.id, roomId))
        .returning();
      return { ok: true, room: toRoom(row!) };
    });
  } catch (error) {
    if (isConstraintViolation(error, 'rooms_name_active_key')) return { ok: false, reason: 'name-taken' };
    throw error;
  }
}

export async function findRoom(db: Database | Tx, roomId: string): Promise<Room | null> {
  if (!isRoomId(roomId)) return null;
  const [row] = await db.select().from(rooms).where(eq(rooms.id, roomId));
  return row ? toRoom(row) : null;
}

/** Rooms that take invites, by name. */
export async function listActiveRooms(db: Database): Promise<Room[]> {
  const rows = await db.select().from(rooms).where(isNull(rooms.archivedAt)).orderBy(asc(rooms.name));
  return rows.map(toRoom);
}

/** Weekly hours and date overrides of several rooms (the grid reads all rooms at once). */
export async function loadRoomHours(
  db: Database | Tx,
  roomIds: readonly string[],
  dates?: readonly string[],
): Promise<Map<string, RoomHours>> {
  const result = new Map<string, RoomHours>(roomIds.map((id) => [id, { weekly: new Map(), overrides: [] }]));
  if (roomIds.length === 0) return result;
  const weeklyRows = await db
    .select()
    .from(roomWeeklyHours)
    .where(inArray(roomWeeklyHours.roomId, [...roomIds]));
  const overrideRows = await db
    .select()
    .from(roomHourOverrides)
    .where(
      and(
        inArray(roomHourOverrides.roomId, [...roomIds]),
        dates ? inArray(roomHourOverrides.onDate, [...dates]) : undefined,
      ),
    )
    .orderBy(asc(roomHourOverrides.onDate), asc(roomHourOverrides.hour));
  for (const row of weeklyRows) {
    const weekly = result.get(row.roomId)!.weekly;
    weekly.set(
      row.weekday,
      [...(weekly.get(row.weekday) ?? []), row.hour].sort((a, b) => a - b),
    );
  }
  for (const row of overrideRows) {
    (result.get(row.roomId)!.overrides as { date: string; hour: number; isOpen: boolean }[]).push({
      date: row.onDate,
      hour: row.hour,
      isOpen: row.isOpen,
    });
  }
  return result;
}

/** An invite still holding the room that the new hours would leave outside every open block. */
function strandedBy(next: RoomHours, zone: string) {
  return (row: { startsAt: Date; endsAt: Date }) => !isOpenBlock(next, zone, row);
}

async function lockRoom(tx: Tx, roomId: string): Promise<RoomRow | undefined> {
  const [row] = await tx
    .select()
    .from(rooms)
    .where(and(eq(rooms.id, roomId), isNull(rooms.archivedAt)))
    .for('update');
  return row;
}

async function writeWeekly(tx: Tx, roomId: string, weekly: WeeklyHours): Promise<void> {
  await tx.delete(roomWeeklyHours).where(eq(roomWeeklyHours.roomId, roomId));
  const rows = [...weekly].flatMap(([weekday, hours]) => hours.map((hour) => ({ roomId, weekday, hour })));
  if (rows.length) await tx.insert(roomWeeklyHours).values(rows);
}

/** A pending invite or meeting that stands in the way of a change, described for the message. */
export interface Blocker {
  inviteId: string;
  label: string;
  status: 'pending' | 'accepted';
}

async function activeFutureInvites(tx: Tx, roomId: string, now: Date) {
  return tx
    .select()
    .from(invites)
    .where(and(eq(invites.roomId, roomId), gt(invites.startsAt, now), inArray(invites.status, ['pending', 'accepted'])))
    .orderBy(asc(invites.startsAt));
}

function blockersOf(rows: { id: string; startsAt: Date; endsAt: Date; status: string }[], zone: string): Blocker[] {
  return rows.map((row) => ({
    inviteId: row.id,
    label: describeRange(row.startsAt, row.endsAt, zone).full,
    status: row.status === 'accepted' ? 'accepted' : 'pending',
  }));
}

export type HoursChangeResult =
  | { ok: true }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'in-use'; blockers: Blocker[] };

/**
 * Replaces a room's weekly hours, unless that would close an hour holding a meeting or a pending
 * invite (those are listed, to be cancelled first).
 */
export async function setWeeklyHours(
  db: Database,
  roomId: string,
  weekly: WeeklyHours,
  now: Date,
  zone: string,
): Promise<HoursChangeResult> {
  if (!isRoomId(roomId)) return { ok: false, reason: 'not-found' };
  return db.transaction(async (tx) => {
    const room = await lockRoom(tx, roomId);
    if (!room) return { ok: false as const, reason: 'not-found' as const };
    const hours = (await loadRoomHours(tx, [roomId])).get(roomId)!;
    const next: RoomHours = { weekly, overrides: hours.overrides };
    const stranded = (await activeFutureInvites(tx, roomId, now)).filter(strandedBy(next, roomZone(room, zone)));
    if (stranded.length)
      return { ok: false as const, reason: 'in-use' as const, blockers: blockersOf(stranded, roomZone(room, zone)) };
    await writeWeekly(tx, roomId, weekly);
    return { ok: true as const };
  });
}

/** Opens or closes one block on one date; closing a block that holds an invite is refused. */
export async function setHourOverride(
  db: Database,
  roomId: string,
  override: { date: string; hour: number; isOpen: boolean },
  now: Date,
  zone: string,
): Promise<HoursChangeResult> {
  if (!isRoomId(roomId)) return { ok: false, reason: 'not-found' };
  return db.transaction(async (tx) => {
    const room = await lockRoom(tx, roomId);
    if (!room) return { ok: false as const, reason: 'not-found' as const };
    if (!override.isOpen) {
      const hours = (await loadRoomHours(tx, [roomId])).get(roomId)!;
      const next: RoomHours = {
        weekly: hours.weekly,
        overrides: [
          ...hours.overrides.filter((o) => !(o.date === override.date && o.hour === override.hour)),
          override,
        ],
      };
      const here = roomZone(room, zone);
      const stranded = (await activeFutureInvites(tx, roomId, now)).filter(
        (row) => dateInZone(row.startsAt, here) === override.date && strandedBy(next, here)(row),
      );
      if (stranded.length)
        return { ok: false as const, reason: 'in-use' as const, blockers: blockersOf(stranded, roomZone(room, zone)) };
    }
    await tx
      .insert(roomHourOverrides)
      .values({ roomId, onDate: override.date, hour: override.hour, isOpen: override.isOpen })
      .onConflictDoUpdate({
        target: [roomHourOverrides.roomId, roomHourOverrides.onDate, roomHourOverrides.hour],
        set: { isOpen: override.isOpen },
      });
    return { ok: true as const };
  });
}

/** Removes a date override (the weekly hours apply again), with the same check as closing. */
export async function removeHourOverride(
  db: Database,
  roomId: string,
  date: string,
  hour: number,
  now: Date,
  zone: string,
): Promise<HoursChangeResult> {
  if (!isRoomId(roomId)) return { ok: false, reason: 'not-found' };
  return db.transaction(async (tx) => {
    const room = await lockRoom(tx, roomId);
    if (!room) return { ok: false as const, reason: 'not-found' as const };
    const hours = (await loadRoomHours(tx, [roomId])).get(roomId)!;
    const next: RoomHours = {
      weekly: hours.weekly,
      overrides: hours.overrides.filter((o) => !(o.date === date && o.hour === hour)),
    };
    const here = roomZone(room, zone);
    const stranded = (await activeFutureInvites(tx, roomId, now)).filter(
      (row) => dateInZone(row.startsAt, here) === date && strandedBy(next, here)(row),
    );
    if (stranded.length)
      return { ok: false as const, reason: 'in-use' as const, blockers: blockersOf(stranded, roomZone(room, zone)) };
    await tx
      .delete(roomHourOverrides)
      .where(
        and(eq(roomHourOverrides.roomId, roomId), eq(roomHourOverrides.onDate, date), eq(roomHourOverrides.hour, hour)),
      );
    return { ok: true as const };
  });
}

/** Archives a room that holds no future meetings or pending invites. */
export async function archiveRoom(db: Database, roomId: string, now: Date, zone: string): Promise<HoursChangeResult> {
  if (!isRoomId(roomId)) return { ok: false, reason: 'not-found' };
  return db.transaction(async (tx) => {
    const room = await lockRoom(tx, roomId);
    if (!room) return { ok: false as const, reason: 'not-found' as const };
    const active = await activeFutureInvites(tx, roomId, now);
    if (active.length)
      return { ok: false as const, reason: 'in-use' as const, blockers: blockersOf(active, roomZone(room, zone)) };
    await tx.update(rooms).set({ archivedAt: now }).where(eq(rooms.id, roomId));
    return { ok: true as const };
  });
}

/** Takes the room's lock inside a transaction (invite creation), returning the room if it is active. */
export async function lockActiveRoom(tx: Tx, roomId: string): Promise<Room | null> {
  const row = await lockRoom(tx, roomId);
  return row ? toRoom(row) : null;
}
