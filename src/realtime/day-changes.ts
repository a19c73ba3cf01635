/**
 * Which days of a slot list a change touches, as one viewer's page shows them (days in their zone,
 * from a first visible instant on), and what to do with each: replace it, insert it after the day
 * before it, or delete it. Pure: the feed reads, this decides, views render.
 *
 * A page holds a day's section exactly when the day has visible slots, so a day "was there before"
 * when it still has slots that were not just added, or had slots that were just deleted. A new day
 * goes after the nearest earlier day that is there (or was inserted earlier in the same push).
 */
import type { Slot } from '../domain/slots.ts';
import { describeRange } from '../domain/time.ts';
import { type DayGroup, groupByDay } from '../../views/components/days.ts';

export interface DayChangeInput {
  /** Every slot starting in a span that holds each touched day whole, in any zone; earliest first. */
  spanSlots: readonly Slot[];
  /** Ids of the slots just added. */
  added: ReadonlySet<string>;
  /** Start instants (epoch ms) of the slots just deleted. */
  deletedStarts: readonly number[];
  /** The latest start of any slot, of any slot not just added, and of any slot before the span. */
  bounds: { latest: Date | null; latestNotAdded: Date | null; latestBefore: Date | null };
  zone: string;
  /** Slots starting before this instant are not shown (visitors: before today; hosts: -Infinity). */
  visibleFrom: number;
}

export type DayChange =
  | { op: 'replace'; day: DayGroup }
  /** `after`: the day key of the section it follows, or null for the first day of the list. */
  | { op: 'insert'; day: DayGroup; after: string | null }
  | { op: 'delete'; dayKey: string };

/** The changes for one view, or 'whole-list' when the list goes from empty to not or back. */
export function planDayChanges(input: DayChangeInput): DayChange[] | 'whole-list' {
  const { zone, visibleFrom } = input;
  const visible = (t: number | undefined | null) => t !== null && t !== undefined && t >= visibleFrom;
  const deletedVisible = input.deletedStarts.filter((t) => visible(t));
  const shownBefore = visible(input.bounds.latestNotAdded?.getTime()) || deletedVisible.length > 0;
  const shownAfter = visible(input.bounds.latest?.getTime());
  if (!shownBefore || !shownAfter) return 'whole-list';

  const dayOf = (t: number) => describeRange(new Date(t), new Date(t), zone).dayKey;
  const slots = input.spanSlots.filter((s) => visible(s.startsAt.getTime()));
  const days = new Map(groupByDay(slots, zone).map((d) => [d.dayKey, d]));
  const touched = new Set<string>();
  for (const slot of slots) if (input.added.has(slot.id)) touched.add(dayOf(slot.startsAt.getTime()));
  const deletedDays = new Set(deletedVisible.map(dayOf));
  for (const key of deletedDays) touched.add(key);

  // The day a new day follows: the nearest earlier one with visible slots (in the span, else the
  // latest slot before the span, which is on an earlier day in every zone).
  const before = input.bounds.latestBefore?.getTime();
  const dayBeforeSpan = visible(before) ? dayOf(before!) : null;
  const dayKeys = [...days.keys()];
  const precedingDay = (key: string): string | null => {
    let found: string | null = null;
    for (const k of dayKeys) if (k < key) found = k;
    return found ?? dayBeforeSpan;
  };

  const changes: DayChange[] = [];
  for (const key of [...touched].sort()) {
    const day = days.get(key);
    const wasThere = deletedDays.has(key) || (day?.items.some(({ slot }) => !input.added.has(slot.id)) ?? false);
    if (day && wasThere) changes.push({ op: 'replace', day });
    else if (day) changes.push({ op: 'insert', day, after: precedingDay(key) });
    else if (wasThere) changes.push({ op: 'delete', dayKey: key });
  }
  return changes;
}
