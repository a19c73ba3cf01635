/**
 * Moving a booking: the visitor's pick goes to another open slot in one transaction, or nothing
 * changes. Split from bookings.ts, whose claim and release rules it shares.
 */
import { and, eq, gt, isNull, TransactionRollbackError } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { isConstraintViolation } from '../db/errors.ts';
import { slots } from '../db/schema.ts';
import {
  type BookingInput,
  type BookingRefusal,
  bookingCleared,
  explainMiss,
  findCurrentBooking,
  retireFinishedPicks,
} from './bookings.ts';
import { isSlotId, type Slot, toSlot } from './slots.ts';

export type MoveResult = { ok: true; slot: Slot; from: Slot } | BookingRefusal;

/**
 * Test seams inside the move's transaction: after the old pick is locked and before anything is
 * written (the driver test ends the backend there, then lets the move go on), and when the
 * callback is over, however it ended.
 */
export const moveSeam: { afterLock?: () => Promise<void>; callbackEnded?: () => void } = {};

/**
 * Moves the visitor's current pick to another open slot in one transaction: the old slot is freed
 * and the new one claimed together, or, if the new one is lost, nothing changes and the old booking
 * stays. The booking keeps its id (calendar UID) and manage link; its sequence goes up.
 */
export async function moveBooking(
  db: Database,
  args: { scheduleId: string; toSlotId: string; visitorHash: string; booking?: BookingInput; now: Date },
): Promise<MoveResult> {
  const { scheduleId, toSlotId, visitorHash, booking, now } = args;
  if (!isSlotId(toSlotId)) return { ok: false, reason: 'not-found' };
  const missed = Symbol('missed');
  const moveInside = async (tx: Tx) => {
    await retireFinishedPicks(tx, scheduleId, visitorHash, now);
    // Lock and free the old pick first, so the per-visitor unique index never sees two.
    const [old] = await tx
      .select()
      .from(slots)
      .where(and(eq(slots.scheduleId, scheduleId), eq(slots.visitorHash, visitorHash), gt(slots.startsAt, now)))
      .for('update');
    if (!old?.bookingId || old.bookerName === null) return null;
    if (moveSeam.afterLock) await moveSeam.afterLock();
    if (old.id === toSlotId) return { from: toSlot(old), to: toSlot(old) };
    const [freed] = await tx
      .update(slots)
      .set(bookingCleared)
      .where(and(eq(slots.id, old.id), eq(slots.visitorHash, visitorHash)))
      .returning({ id: slots.id });
    if (!freed) return null;
    const [claimed] = await tx
      .update(slots)
      .set({
        bookingId: old.bookingId,
        bookedAt: now,
        bookerName: booking?.name || old.bookerName,
        bookerEmail: booking ? booking.email || null : old.bookerEmail,
        visitorHash,
        manageKeyHash: old.manageKeyHash,
        bookingSequence: old.bookingSequence + 1,
      })
      .where(
        and(eq(slots.id, toSlotId), eq(slots.scheduleId, scheduleId), isNull(slots.bookingId), gt(slots.startsAt, now)),
      )
      .returning();
    // Losing the new slot undoes the whole move: the old booking stays as it was.
    if (!claimed) tx.rollback();
    return { from: toSlot(old), to: toSlot(claimed!) };
  };
  try {
    const moved = await db
      .transaction(async (tx) => {
        try {
          return await moveInside(tx);
        } finally {
          moveSeam.callbackEnded?.();
        }
      })
      .catch((error: unknown) => {
        if (error instanceof TransactionRollbackError) return missed;
        throw error;
      });
    if (typeof moved === 'symbol') return explainMiss(db, scheduleId, toSlotId, now);
    if (moved === null) {
      const current = await findCurrentBooking(db, scheduleId, visitorHash, now);
      return current ? { ok: false, reason: 'started', slot: current } : { ok: false, reason: 'no-booking' };
    }
    return { ok: true, slot: moved.to, from: moved.from };
  } catch (error) {
    if (
      isConstraintViolation(error, 'slots_booking_id_key') ||
      isConstraintViolation(error, 'slots_manage_key_hash_key')
    ) {
      return explainMiss(db, scheduleId, toSlotId, now);
    }
    throw error;
  }
}
