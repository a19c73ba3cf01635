/**
 * Bookings: a visitor claims an open slot, moves their pick (booking-moves.ts), or releases it.
 * Every decision is one conditional UPDATE (inside one transaction for a move), so two people can
 * never hold one slot and a visitor never holds two: the database decides, not a read made earlier
 * in JavaScript.
 */
import { and, asc, eq, gt, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Tx } from '../db/client.ts';
import { isConstraintViolation } from '../db/errors.ts';
import { schedules, slots } from '../db/schema.ts';
import { emailField, requiredLineField } from './forms.ts';
import type { Schedule } from './schedules.ts';
import { findSlot, isSlotId, type Slot, toSlot } from './slots.ts';
import { generateKey, hashKey, looksLikeKey } from './tokens.ts';
import { prepared } from '../db/prepared.ts';

export const BookingForm = z.object({
  name: requiredLineField('Your name', 100, 'Enter your name, so the host knows who is coming.'),
  email: emailField(),
});
export type BookingInput = z.output<typeof BookingForm>;

/** Why a claim or a move did not happen. */
export type BookingRefusal =
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'taken'; slot: Slot }
  | { ok: false; reason: 'started'; slot: Slot }
  /** The visitor already holds another slot of this schedule: they can move it instead. */
  | { ok: false; reason: 'has-booking'; current: Slot }
  /** A move was asked for but the visitor holds nothing that can still move. */
  | { ok: false; reason: 'no-booking' };

export type ClaimResult = { ok: true; slot: Slot; manageKey: string } | BookingRefusal;
export type ReleaseResult = { ok: true; slot: Slot } | { ok: false; reason: 'no-booking' | 'started'; slot?: Slot };

/** The columns of a slot with no booking. */
export const bookingCleared = {
  bookingId: null,
  bookedAt: null,
  bookerName: null,
  bookerEmail: null,
  visitorHash: null,
  manageKeyHash: null,
  bookingSequence: 0,
} as const;

/**
 * A pick whose slot has ended no longer counts as the visitor's current one, so they can book
 * again (a student who met last week books this week). The booking itself stays for the host.
 */
export async function retireFinishedPicks(
  tx: Tx | Database,
  scheduleId: string,
  visitorHash: string,
  now: Date,
): Promise<void> {
  await tx
    .update(slots)
    .set({ visitorHash: null })
    .where(and(eq(slots.scheduleId, scheduleId), eq(slots.visitorHash, visitorHash), lte(slots.endsAt, now)));
}

/** Says why a conditional update on a slot matched nothing. */
export async function explainMiss(
  db: Database,
  scheduleId: string,
  slotId: string,
  now: Date,
): Promise<BookingRefusal> {
  const slot = await findSlot(db, scheduleId, slotId);
  if (!slot) return { ok: false, reason: 'not-found' };
  if (slot.startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'started', slot };
  return { ok: false, reason: 'taken', slot };
}

/** The visitor's current pick on a schedule (a booked slot that has not ended), if any. */
export async function findCurrentBooking(
  db: Database,
  scheduleId: string,
  visitorHash: string,
  now: Date,
): Promise<Slot | null> {
  const [row] = await db
    .select()
    .from(slots)
    .where(and(eq(slots.scheduleId, scheduleId), eq(slots.visitorHash, visitorHash), gt(slots.endsAt, now)))
    .limit(1);
  return row ? toSlot(row) : null;
}

/** The claim: takes the slot if it is still open and has not started. Values are placeholders. */
function claimUpdate(executor: Database | Tx) {
  return executor
    .update(slots)
    .set({
      bookingId: sql`gen_random_uuid()`,
      bookedAt: sql`${sql.placeholder('now')}::timestamptz`,
      bookerName: sql`${sql.placeholder('name')}`,
      bookerEmail: sql`${sql.placeholder('email')}`,
      visitorHash: sql`${sql.placeholder('visitorHash')}`,
      manageKeyHash: sql`${sql.placeholder('manageKeyHash')}`,
      bookingSequence: 0,
    })
    .where(
      and(
        eq(slots.id, sql.placeholder('slotId')),
        eq(slots.scheduleId, sql.placeholder('scheduleId')),
        isNull(slots.bookingId),
        gt(slots.startsAt, sql`${sql.placeholder('now')}::timestamptz`),
      ),
    )
    .returning();
}

/** The claim, prepared once: the hottest statement of the app. */
const claimStatement = prepared((db) => claimUpdate(db).prepare('claim_slot'));

/**
 * Books an open slot that has not started for a visitor. One conditional UPDATE decides: the first
 * claim wins, every other gets `taken`. A visitor who already holds a slot here gets `has-booking`
 * (the partial unique index on schedule and visitor refuses the second).
 */
export async function claimSlot(
  db: Database,
  args: { scheduleId: string; slotId: string; visitorHash: string; booking: BookingInput; now: Date },
): Promise<ClaimResult> {
  const { scheduleId, slotId, visitorHash, booking, now } = args;
  if (!isSlotId(slotId)) return { ok: false, reason: 'not-found' };
  const manageKey = generateKey();
  const values = {
    slotId,
    scheduleId,
    // Placeholders skip drizzle's column mapping: instants go as ISO text, cast in the statement.
    now: now.toISOString(),
    name: booking.name,
    email: booking.email || null,
    visitorHash,
    manageKeyHash: hashKey(manageKey),
  };
  try {
    // The common case is one statement: the UPDATE either takes the slot or matches nothing.
    const [row] = await claimStatement(db).execute(values);
    if (row) return { ok: true, slot: toSlot(row), manageKey };
    return explainMiss(db, scheduleId, slotId, now);
  } catch (error) {
    if (!isConstraintViolation(error, 'slots_one_booking_per_visitor')) throw error;
  }
  // The visitor holds a pick here. If it has ended it no longer counts: retire it and claim again,
  // together; if it is still current the unique index refuses again and they may move it instead.
  try {
    const row = await db.transaction(async (tx) => {
      await retireFinishedPicks(tx, scheduleId, visitorHash, now);
      const [claimed] = await claimUpdate(tx).execute(values);
      return claimed;
    });
    if (row) return { ok: true, slot: toSlot(row), manageKey };
  } catch (error) {
    if (!isConstraintViolation(error, 'slots_one_booking_per_visitor')) throw error;
    const current = await findCurrentBooking(db, scheduleId, visitorHash, now);
    if (current) return { ok: false, reason: 'has-booking', current };
  }
  return explainMiss(db, scheduleId, slotId, now);
}

/** Frees the visitor's current pick, if it has not started. */
export async function releaseBooking(
  db: Database,
  args: { scheduleId: string; visitorHash: string; now: Date },
): Promise<ReleaseResult> {
  const { scheduleId, visitorHash, now } = args;
  const [row] = await db
    .update(slots)
    .set(bookingCleared)
    .where(and(eq(slots.scheduleId, scheduleId), eq(slots.visitorHash, visitorHash), gt(slots.startsAt, now)))
    .returning();
  if (row) return { ok: true, slot: toSlot(row) };
  const current = await findCurrentBooking(db, scheduleId, visitorHash, now);
  return current ? { ok: false, reason: 'started', slot: current } : { ok: false, reason: 'no-booking' };
}

/** A booking reached through its private manage link, with its schedule. */
export interface ManagedBooking {
  schedule: Schedule;
  slot: Slot;
}

/** The booking a manage key opens. Looked up by the key's SHA-256 only, like admin keys (schedules.ts). */
export async function findBookingByManageKey(db: Database, manageKey: string): Promise<ManagedBooking | null> {
  if (!looksLikeKey(manageKey)) return null;
  const [row] = await db
    .select({ slot: slots, schedule: schedules })
    .from(slots)
    .innerJoin(schedules, eq(schedules.id, slots.scheduleId))
    .where(and(eq(slots.manageKeyHash, hashKey(manageKey)), isNotNull(slots.bookingId)));
  if (!row) return null;
  const { schedule } = row;
  return {
    slot: toSlot(row.slot),
    schedule: {
      id: schedule.id,
      publicId: schedule.publicId,
      title: schedule.title,
      hostName: schedule.hostName,
      timeZone: schedule.timeZone,
      createdAt: schedule.createdAt,
    },
  };
}

/** Frees the booking a manage link names, if it has not started. */
export async function releaseByManageKey(
  db: Database,
  manageKey: string,
  now: Date,
): Promise<ReleaseResult & { scheduleId?: string }> {
  if (!looksLikeKey(manageKey)) return { ok: false, reason: 'no-booking' };
  const [row] = await db
    .update(slots)
    .set(bookingCleared)
    .where(and(eq(slots.manageKeyHash, hashKey(manageKey)), gt(slots.startsAt, now)))
    .returning();
  if (row) return { ok: true, slot: toSlot(row), scheduleId: row.scheduleId };
  const found = await findBookingByManageKey(db, manageKey);
  return found ? { ok: false, reason: 'started', slot: found.slot } : { ok: false, reason: 'no-booking' };
}

/** Booked slots of a schedule, earliest first (the host's calendar download). */
export async function listBookedSlots(db: Database, scheduleId: string): Promise<Slot[]> {
  const rows = await db
    .select()
    .from(slots)
    .where(and(eq(slots.scheduleId, scheduleId), isNotNull(slots.bookingId)))
    .orderBy(asc(slots.startsAt));
  return rows.map(toSlot);
}
