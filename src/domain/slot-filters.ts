/**
 * Which of a schedule's slots the host's dashboard shows: each slot is open (bookable), booked (and
 * not over) or past (over, or started without a booking), and a filter picks some of these. Pure:
 * `now` passed in.
 */
import type { Slot } from './slots.ts';

export const SLOT_FILTERS = ['upcoming', 'open', 'booked', 'past', 'all'] as const;
export type SlotFilter = (typeof SLOT_FILTERS)[number];
export const DEFAULT_SLOT_FILTER: SlotFilter = 'upcoming';

/** A filter from a query string; anything else is the default (GET pages ignore what they cannot use). */
export function parseSlotFilter(value: unknown): SlotFilter {
  return SLOT_FILTERS.find((f) => f === value) ?? DEFAULT_SLOT_FILTER;
}

export type SlotPhase = 'open' | 'booked' | 'past';

/**
 * Open: nobody holds it and it has not started (a visitor can book it). Booked: held and not over.
 * Past: over, or started with nobody in it. The same lines as `slotStateFor` draws.
 */
export function slotPhase(slot: Pick<Slot, 'startsAt' | 'endsAt' | 'booking'>, now: Date): SlotPhase {
  const t = now.getTime();
  if (slot.booking) return slot.endsAt.getTime() > t ? 'booked' : 'past';
  return slot.startsAt.getTime() > t ? 'open' : 'past';
}

/** Whether a filter shows slots of a phase. */
export function filterShowsPhase(filter: SlotFilter, phase: SlotPhase): boolean {
  switch (filter) {
    case 'upcoming':
      return phase !== 'past';
    case 'all':
      return true;
    default:
      return phase === filter;
  }
}

/** Whether the host's list under `filter` shows this slot at `now`. */
export const isShownBy = (filter: SlotFilter, slot: Slot, now: Date): boolean =>
  filterShowsPhase(filter, slotPhase(slot, now));

/** Whether a filter shows open slots, so actions on them (bulk deletes) belong in its view. */
export const filterShowsOpen = (filter: SlotFilter): boolean => filterShowsPhase(filter, 'open');

export interface PhaseCounts {
  open: number;
  booked: number;
  past: number;
}

/** How many slots are in each phase. */
export function countPhases(slots: Iterable<Slot>, now: Date): PhaseCounts {
  const counts = { open: 0, booked: 0, past: 0 };
  for (const slot of slots) counts[slotPhase(slot, now)] += 1;
  return counts;
}
