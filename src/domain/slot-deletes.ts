/**
 * Deleting many open slots at once (a day's, a week's). One conditional DELETE decides which go, so
 * a slot booked at the same moment is either booked first (and kept) or deleted first (and the
 * booking finds nothing): never both, whatever runs in parallel.
 */
import { and, count, eq, gt, gte, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { slots } from '../db/schema.ts';

export interface DeletedSlot {
  id: string;
  startsAt: Date;
}

export interface OpenSlotsDeleted {
  /** The slots deleted, earliest first (their start instants find their days for the live path). */
  deleted: DeletedSlot[];
  /** Booked slots in the range that were kept (counted after the delete, so a booking that won a race counts). */
  keptBooked: number;
}

/**
 * Deletes a schedule's open slots that start in [from, to): nobody holds them and they have not
 * started at `now`. Booked slots are never touched; slots already started are history and stay.
 */
export async function deleteOpenSlotsBetween(
  db: Database,
  input: { scheduleId: string; from: Date; to: Date; now: Date },
): Promise<OpenSlotsDeleted> {
  const { scheduleId, from, to, now } = input;
  const inRange = and(eq(slots.scheduleId, scheduleId), gte(slots.startsAt, from), lt(slots.startsAt, to));
  const deleted = await db
    .delete(slots)
    .where(and(inRange, gt(slots.startsAt, now), isNull(slots.bookingId)))
    .returning({ id: slots.id, startsAt: slots.startsAt });
  const [kept] = await db
    .select({ n: count() })
    .from(slots)
    .where(and(inRange, isNotNull(slots.bookingId), gt(slots.endsAt, now)));
  deleted.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return { deleted, keptBooked: kept?.n ?? 0 };
}
