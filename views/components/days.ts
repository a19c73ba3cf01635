/** Grouping slots into days as they fall in the viewer's zone. */
import type { Locale } from '../../src/domain/locale.ts';
import { describeRange, type RangeLabel } from '../../src/domain/time.ts';
import type { Slot } from '../../src/domain/slots.ts';

export interface DayGroup {
  dayKey: string;
  dayLabel: string;
  items: { slot: Slot; label: RangeLabel }[];
}

/** Slots (already in start order) grouped by the date they start on in `zone`, labelled in `locale`. */
export function groupByDay(slots: readonly Slot[], zone: string, locale: Locale = 'en-GB'): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const slot of slots) {
    const label = describeRange(slot.startsAt, slot.endsAt, zone, locale);
    const last = groups[groups.length - 1];
    if (last && last.dayKey === label.dayKey) last.items.push({ slot, label });
    else groups.push({ dayKey: label.dayKey, dayLabel: label.dayLabel, items: [{ slot, label }] });
  }
  return groups;
}
