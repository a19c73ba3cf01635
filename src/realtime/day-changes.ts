/**
 * Which days of a slot list a change touches, as one viewer's page shows them (days in their zone,
 * from a first visible instant on), and what to do with each: replace it, insert it after the day
 * before it, or delete it. Pure: the feed reads, this decides, views render.
 *
 * "Before" is what the pages were last sent (the feed keeps the start instants of every slot it
 * has shown them), "after" is the database now. Slots never overlap within a schedule, so a start
 * instant names a slot's place. Deciding from what was sent, not from which events arrived, keeps
 * pages right when the database already holds changes whose events have not come yet.
 */
import type { Slot } from '../domain/slots.ts';
import { describeRange } from '../domain/time.ts';
import { type DayGroup, groupByDay } from '../../views/components/days.ts';

export interface DayChangeInput {
  /** Start instants (epoch ms) of the slots the pages hold, ascending. */
  before: readonly number[];
  /** Start instants of the slots now, ascending. */
  after: readonly number[];
  /** The slots now starting in a span that holds every touched day whole, in any zone; ascending. */
  spanSlots: readonly Slot[];
  /** Instants whose days are re-sent even if no slot came or went there (a slot replaced in place). */
  hinted: readonly number[];
  zone: string;
  /** Slots starting before this instant are not shown (visitors: before today; hosts: -Infinity). */
  visibleFrom: number;
}

export type DayChange =
  | { op: 'replace'; day: DayGroup }
  /** `after`: the day key of the section it follows, or null for the first day of the list. */
  | { op: 'insert'; day: DayGroup; after: string | null }
  | { op: 'delete'; dayKey: string };

/** The changes for one view, or 'whole-list' when the list goes from empty to not, or back. */
export function planDayChanges(input: DayChangeInput): DayChange[] | 'whole-list' {
  const { zone, visibleFrom } = input;
  const shown = (list: readonly number[]) => list.length > 0 && list[list.length - 1]! >= visibleFrom;
  if (!shown(input.before) || !shown(input.after)) return 'whole-list';

  const dayOf = (t: number) => describeRange(new Date(t), new Date(t), zone).dayKey;
  const touched = new Set<string>();
  const beforeSet = new Set(input.before);
  const afterSet = new Set(input.after);
  for (const t of input.before) if (t >= visibleFrom && !afterSet.has(t)) touched.add(dayOf(t));
  for (const t of input.after) if (t >= visibleFrom && !beforeSet.has(t)) touched.add(dayOf(t));
  for (const t of input.hinted) if (t >= visibleFrom) touched.add(dayOf(t));
  if (touched.size === 0) return [];

  const days = new Map(groupByDay(input.spanSlots.filter((s) => s.startsAt.getTime() >= visibleFrom), zone).map((d) => [d.dayKey, d]));
  const daysBefore = new Set<string>();
  for (const t of input.before) if (t >= visibleFrom) daysBefore.add(dayOf(t));

  const changes: DayChange[] = [];
  for (const key of [...touched].sort()) {
    const day = days.get(key);
    const wasThere = daysBefore.has(key);
    if (day && wasThere) changes.push({ op: 'replace', day });
    else if (day) changes.push({ op: 'insert', day, after: dayBefore(input.after, day.items[0]!.slot.startsAt.getTime(), visibleFrom, dayOf) });
    else if (wasThere) changes.push({ op: 'delete', dayKey: key });
  }
  return changes;
}

/**
 * The day of the latest visible slot before `start`: the section a new day goes after. Days are
 * sent in order, so it is a day the page had, or one inserted just before in the same push.
 */
function dayBefore(after: readonly number[], start: number, visibleFrom: number, dayOf: (t: number) => string): string | null {
  let low = 0;
  let high = after.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (after[mid]! < start) low = mid + 1;
    else high = mid;
  }
  const previous = after[low - 1];
  return previous !== undefined && previous >= visibleFrom ? dayOf(previous) : null;
}
