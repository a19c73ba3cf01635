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
  const { zone, visibleFrom, before, after } = input;
  const shown = (list: readonly number[]) => list.length > 0 && list[list.length - 1]! >= visibleFrom;
  if (!shown(before) || !shown(after)) return 'whole-list';

  // The instants that came or went, and those named: their days are the ones touched. Only instants
  // near them are turned into days, so the cost follows the change, not the list.
  const moved = [...symmetricDifference(before, after), ...input.hinted].filter((t) => t >= visibleFrom);
  if (moved.length === 0) return [];
  const dayOf = (t: number) => describeRange(new Date(t), new Date(t), zone).dayKey;
  const touched = new Set(moved.map(dayOf));
  const near = (list: readonly number[]) =>
    between(list, Math.min(...moved) - DAY_MARGIN_MS, Math.max(...moved) + DAY_MARGIN_MS);
  const daysBefore = new Set(
    near(before)
      .filter((t) => t >= visibleFrom)
      .map(dayOf),
  );

  const days = new Map(
    groupByDay(
      input.spanSlots.filter((s) => s.startsAt.getTime() >= visibleFrom),
      zone,
    ).map((d) => [d.dayKey, d]),
  );
  const changes: DayChange[] = [];
  for (const key of [...touched].sort()) {
    const day = days.get(key);
    const wasThere = daysBefore.has(key);
    if (day && wasThere) changes.push({ op: 'replace', day });
    else if (day)
      changes.push({
        op: 'insert',
        day,
        after: dayBefore(after, day.items[0]!.slot.startsAt.getTime(), visibleFrom, dayOf),
      });
    else if (wasThere) changes.push({ op: 'delete', dayKey: key });
  }
  return changes;
}

/** Every zone's day holding an instant lies within this much of it (UTC±14, days of 25 hours). */
export const DAY_MARGIN_MS = 26 * 3_600_000;

/** Instants in one ascending list and not the other. */
function symmetricDifference(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (i >= a.length || b[j]! < a[i]!) out.push(b[j++]!);
    else {
      i++;
      j++;
    }
  }
  return out;
}

/** The index of the first instant not below `t`. */
function firstAtOrAfter(list: readonly number[], t: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid]! < t) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The instants in [from, to] of an ascending list. */
const between = (list: readonly number[], from: number, to: number) =>
  list.slice(firstAtOrAfter(list, from), firstAtOrAfter(list, to + 1));

/**
 * The day of the latest visible slot before `start`: the section a new day goes after. Days are
 * sent in order, so it is a day the page had, or one inserted just before in the same push.
 */
function dayBefore(
  after: readonly number[],
  start: number,
  visibleFrom: number,
  dayOf: (t: number) => string,
): string | null {
  const previous = after[firstAtOrAfter(after, start) - 1];
  return previous !== undefined && previous >= visibleFrom ? dayOf(previous) : null;
}
