/** Slots of a schedule: listing, adding (all or nothing, never overlapping) and deleting open ones. */
import { and, asc, count, eq, gt, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { isConstraintViolation } from '../db/errors.ts';
import { schedules, slots, type SlotRow } from '../db/schema.ts';
import { isUuid } from './ids.ts';
import type { PlannedSlot } from './slot-rules.ts';

export interface Booking {
  id: string;
  name: string;
  email: string | null;
  bookedAt: Date;
  /** Hash of the visitor cookie whose current pick this is; null once the slot has ended. */
  visitorHash: string | null;
  sequence: number;
}

export interface Slot {
  id: string;
  scheduleId: string;
  startsAt: Date;
  endsAt: Date;
  notes: string;
  booking: Booking | null;
}

export function toSlot(row: SlotRow): Slot {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    notes: row.notes,
    booking:
      row.bookingId && row.bookedAt && row.bookerName !== null
        ? {
            id: row.bookingId,
            name: row.bookerName,
            email: row.bookerEmail,
            bookedAt: row.bookedAt,
            visitorHash: row.visitorHash,
            sequence: row.bookingSequence,
          }
        : null,
  };
}

/** Whether a string is a slot id at all (checked before it reaches SQL). */
export const isSlotId = isUuid;

/**
 * Every slot of a schedule, earliest first: every page and every full live state reads this. The
 * rows come back as one JSON array: PGlite turns each result row into JS objects slowly, and a
 * 500-slot page spent half its time there; one JSON value is parsed at native speed.
 */
export function listSlotsForSchedule(db: Database, scheduleId: string): Promise<Slot[]> {
  return listSlotsAsJson(db, scheduleId);
}

/** The slots of a schedule that start in [from, to), earliest first (a live push's few days). */
export function listSlotsStartingBetween(db: Database, scheduleId: string, from: Date, to: Date): Promise<Slot[]> {
  return listSlotsAsJson(db, scheduleId, sql`starts_at >= ${from.toISOString()} AND starts_at < ${to.toISOString()}`);
}

/** A slot as one JSON object (`slotJson(slots)` in a query; `fromSlotJson` after): parsed at native speed. */
export const slotJson = () => sql`json_build_object(
      'id', id, 's', extract(epoch FROM starts_at) * 1000, 'e', extract(epoch FROM ends_at) * 1000,
      'n', notes, 'b', booking_id, 'ba', extract(epoch FROM booked_at) * 1000, 'bn', booker_name,
      'be', booker_email, 'v', visitor_hash, 'q', booking_sequence
    )`;

export interface SlotJson {
  id: string;
  s: number;
  e: number;
  n: string;
  b: string | null;
  ba: number | null;
  bn: string | null;
  be: string | null;
  v: string | null;
  q: number;
}

export function fromSlotJson(j: SlotJson, scheduleId: string): Slot {
  return {
    id: j.id,
    scheduleId,
    startsAt: new Date(j.s),
    endsAt: new Date(j.e),
    notes: j.n,
    booking:
      j.b && j.ba !== null && j.bn !== null
        ? { id: j.b, name: j.bn, email: j.be, bookedAt: new Date(j.ba), visitorHash: j.v, sequence: j.q }
        : null,
  };
}

async function listSlotsAsJson(db: Database, scheduleId: string, where?: SQL): Promise<Slot[]> {
  const result = await db.execute<{ slots: string }>(sql`
    SELECT coalesce(json_agg(${slotJson()} ORDER BY starts_at), '[]'::json)::text AS slots
    FROM ${slots} WHERE schedule_id = ${scheduleId}${where ? sql` AND ${where}` : sql``}`);
  const [row] = result.rows;
  const list = JSON.parse(row?.slots ?? '[]') as SlotJson[];
  return list.map((j) => fromSlotJson(j, scheduleId));
}

export async function findSlot(db: Database, scheduleId: string, slotId: string): Promise<Slot | null> {
  if (!isSlotId(slotId)) return null;
  const [row] = await db
    .select()
    .from(slots)
    .where(and(eq(slots.id, slotId), eq(slots.scheduleId, scheduleId)));
  return row ? toSlot(row) : null;
}

/** The first slot of a schedule that overlaps a time range, if any. */
export async function findOverlappingSlot(
  db: Database,
  scheduleId: string,
  startsAt: Date,
  endsAt: Date,
): Promise<Slot | null> {
  const [row] = await db
    .select()
    .from(slots)
    .where(and(eq(slots.scheduleId, scheduleId), lt(slots.startsAt, endsAt), gt(slots.endsAt, startsAt)))
    .orderBy(asc(slots.startsAt))
    .limit(1);
  return row ? toSlot(row) : null;
}

export type AddSlotsResult =
  | { ok: true; slots: Slot[] }
  | { ok: false; reason: 'overlap'; overlapping: Slot | null }
  /** The schedule would hold more than `limit` slots; `room` more still fit. */
  | { ok: false; reason: 'full'; limit: number; room: number };

/**
 * Inserts planned slots in one statement: all are added or none. An overlap with an existing slot
 * is refused by the database's exclusion constraint, whoever else is adding at the same moment.
 * With `maxSlots`, the schedule's row is locked first and its slots counted in the same
 * transaction, so adds racing each other can never take it past the cap.
 */
export async function addSlots(
  db: Database,
  scheduleId: string,
  planned: PlannedSlot[],
  maxSlots = Number.POSITIVE_INFINITY,
): Promise<AddSlotsResult> {
  try {
    return await db.transaction(async (tx): Promise<AddSlotsResult> => {
      if (Number.isFinite(maxSlots)) {
        await tx.execute(sql`SELECT 1 FROM ${schedules} WHERE id = ${scheduleId} FOR UPDATE`);
        const [held] = await tx.select({ n: count() }).from(slots).where(eq(slots.scheduleId, scheduleId));
        const room = maxSlots - (held?.n ?? 0);
        if (planned.length > room) return { ok: false, reason: 'full', limit: maxSlots, room: Math.max(0, room) };
      }
      const rows = await tx
        .insert(slots)
        .values(planned.map((p) => ({ scheduleId, startsAt: p.startsAt, endsAt: p.endsAt, notes: p.notes })))
        .returning();
      return { ok: true, slots: rows.map(toSlot).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()) };
    });
  } catch (error) {
    if (!isConstraintViolation(error, 'slots_no_overlap')) throw error;
    const first = planned[0]!;
    const last = planned[planned.length - 1]!;
    return {
      ok: false,
      reason: 'overlap',
      overlapping: await findOverlappingSlot(db, scheduleId, first.startsAt, last.endsAt),
    };
  }
}

export type DeleteSlotResult =
  | { ok: true; slot: Slot }
  | { ok: false; reason: 'booked'; slot: Slot }
  | { ok: false; reason: 'not-found' };

/** Deletes a slot only while nobody holds it: one conditional DELETE decides, not a prior read. */
export async function deleteOpenSlot(db: Database, scheduleId: string, slotId: string): Promise<DeleteSlotResult> {
  if (!isSlotId(slotId)) return { ok: false, reason: 'not-found' };
  const [row] = await db
    .delete(slots)
    .where(and(eq(slots.id, slotId), eq(slots.scheduleId, scheduleId), isNull(slots.bookingId)))
    .returning();
  if (row) return { ok: true, slot: toSlot(row) };
  const existing = await findSlot(db, scheduleId, slotId);
  return existing ? { ok: false, reason: 'booked', slot: existing } : { ok: false, reason: 'not-found' };
}

/** Some slots of a schedule by id (the ones an event names). */
export async function listSlotsByIds(db: Database, scheduleId: string, ids: readonly string[]): Promise<Slot[]> {
  const valid = ids.filter(isSlotId);
  if (valid.length === 0) return [];
  const rows = await db
    .select()
    .from(slots)
    .where(and(eq(slots.scheduleId, scheduleId), inArray(slots.id, valid)))
    .orderBy(asc(slots.startsAt));
  return rows.map(toSlot);
}

/** How many slots a schedule has and how many are booked, counted by the database. */
export async function countSlots(db: Database, scheduleId: string): Promise<{ total: number; booked: number }> {
  const [row] = await db
    .select({ total: count(), booked: count(slots.bookingId) })
    .from(slots)
    .where(eq(slots.scheduleId, scheduleId));
  return { total: row?.total ?? 0, booked: row?.booked ?? 0 };
}

/** How many slots a schedule has and how many are booked. */
export function countBookings(list: readonly Slot[]): { total: number; booked: number } {
  return { total: list.length, booked: list.filter((s) => s.booking).length };
}

/** A slot as one viewer sees it. */
export type SlotState = 'open' | 'booked' | 'mine' | 'started' | 'past';

/**
 * The state of a slot for a viewer (`visitorHash` null for the host or a visitor with no cookie yet):
 * ended slots are past, started ones can no longer be booked, a booking is "mine" for whoever made it.
 */
export function slotStateFor(slot: Slot, visitorHash: string | null, now: Date): SlotState {
  const t = now.getTime();
  if (slot.booking) {
    if (visitorHash && slot.booking.visitorHash === visitorHash && slot.endsAt.getTime() > t) return 'mine';
    return slot.endsAt.getTime() <= t ? 'past' : 'booked';
  }
  if (slot.endsAt.getTime() <= t) return 'past';
  if (slot.startsAt.getTime() <= t) return 'started';
  return 'open';
}
