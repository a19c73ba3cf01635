/**
 * Which parts of the host's week-by-week list a change touches, as one filter shows it, and what to
 * do with each: a week's summary line re-sent, a week inserted after the week before it or deleted,
 * a day replaced, inserted or deleted inside its week, or a few rows re-sent in place. Pure: the
 * feed (or a route) reads, this decides, views render.
 *
 * "Before" is what the pages show (start instants of the slots the filter showed when they were
 * last sent), "after" what they should show now. Weeks are never replaced whole: a week's section
 * keeps whether the host opened or collapsed it.
 */
import type { Locale } from '../domain/locale.ts';
import type { Slot } from '../domain/slots.ts';
import type { DayGroup } from '../../views/components/days.ts';
import { dayKeyOf, daySpan, groupByWeek, type WeekGroup, weekKeyOf, weekSpan } from '../../views/components/weeks.ts';

export interface WeekChangeInput {
  /** Start instants (epoch ms) of the slots the pages show, ascending. */
  before: readonly number[];
  /** Start instants of the slots they should show now, ascending. */
  after: readonly number[];
  /** Every slot now in the touched weeks (whole weeks, shown or not), ascending. */
  weekSlots: readonly Slot[];
  /** The weeks whose counts may have changed (a slot added, deleted or booked there). */
  weeks: readonly string[];
  /** Instants whose rows are re-sent in place if their day's shown slots stay the same (a booking). */
  hinted: readonly number[];
  zone: string;
  /** The reader's locale, for the labels of the weeks and days re-sent. */
  locale: Locale;
  now: Date;
  /** Whether the filter shows a slot. */
  shown: (slot: Slot) => boolean;
}

export type WeekChange =
  /** The week's summary line and its actions re-sent. */
  | { op: 'week-head'; week: WeekGroup }
  /** `after`: the week key of the section it follows, or null for the first week of the list. */
  | { op: 'insert-week'; week: WeekGroup; after: string | null }
  | { op: 'delete-week'; weekKey: string }
  | { op: 'replace-day'; day: DayGroup }
  /** `after`: the day key of the section it follows inside its week, or null for the week's first day. */
  | { op: 'insert-day'; day: DayGroup; weekKey: string; after: string | null }
  | { op: 'delete-day'; dayKey: string }
  /** Rows re-sent in place (their day shows the same slots as before), and the day's actions. */
  | { op: 'rows'; day: DayGroup; slots: Slot[] };

/** The changes for one filter, or 'whole-list' when its list goes from empty to not, or back. */
export function planWeekChanges(input: WeekChangeInput): WeekChange[] | 'whole-list' {
  const { before, after, zone } = input;
  if (before.length === 0 && after.length === 0) return [];
  if (before.length === 0 || after.length === 0) return 'whole-list';
  const groups = new Map(
    groupByWeek(input.weekSlots, zone, input.now, input.shown, input.locale).map((week) => [week.weekKey, week]),
  );
  const changes: WeekChange[] = [];
  for (const weekKey of [...new Set(input.weeks)].sort()) {
    const { from, to } = weekSpan(weekKey, zone);
    const was = between(before, from, to);
    const is = between(after, from, to);
    const week = groups.get(weekKey);
    if (was.length === 0) {
      const previous = after[firstAtOrAfter(after, from) - 1];
      if (week)
        changes.push({ op: 'insert-week', week, after: previous === undefined ? null : weekKeyOf(previous, zone) });
      continue;
    }
    if (is.length === 0 || !week) {
      changes.push({ op: 'delete-week', weekKey });
      continue;
    }
    changes.push({ op: 'week-head', week });
    const hinted = input.hinted.filter((t) => t >= from && t < to);
    const touched = new Set([...symmetricDifference(was, is), ...hinted].map((t) => dayKeyOf(t, zone)));
    const days = new Map(week.days.map((day) => [day.dayKey, day]));
    for (const dayKey of [...touched].sort()) {
      const span = daySpan(dayKey, zone);
      const wasOnDay = between(was, span.from, span.to);
      const isOnDay = between(is, span.from, span.to);
      const day = days.get(dayKey);
      if (wasOnDay.length === 0) {
        if (!day) continue;
        const previous = is[firstAtOrAfter(is, isOnDay[0]!) - 1];
        changes.push({
          op: 'insert-day',
          day,
          weekKey,
          after: previous === undefined ? null : dayKeyOf(previous, zone),
        });
      } else if (isOnDay.length === 0 || !day) changes.push({ op: 'delete-day', dayKey });
      else if (sameList(wasOnDay, isOnDay)) {
        const rows = new Set(hinted);
        changes.push({
          op: 'rows',
          day,
          slots: day.items.map((i) => i.slot).filter((s) => rows.has(s.startsAt.getTime())),
        });
      } else changes.push({ op: 'replace-day', day });
    }
  }
  return changes;
}

/** `after` for a filter: what the pages show outside the spans read, and what it shows inside them now. */
export function shownAfter(
  before: readonly number[],
  spans: readonly { from: number; to: number }[],
  spanSlots: readonly Slot[],
  shown: (slot: Slot) => boolean,
): number[] {
  const inSpans = (t: number) => spans.some((s) => t >= s.from && t < s.to);
  const outside = before.filter((t) => !inSpans(t));
  const inside = spanSlots.filter((s) => inSpans(s.startsAt.getTime()) && shown(s)).map((s) => s.startsAt.getTime());
  return [...outside, ...inside].sort((a, b) => a - b);
}

const sameList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** Instants in one ascending list and not the other. */
export function symmetricDifference(a: readonly number[], b: readonly number[]): number[] {
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

/** The instants in [from, to) of an ascending list. */
const between = (list: readonly number[], from: number, to: number) =>
  list.slice(firstAtOrAfter(list, from), firstAtOrAfter(list, to));
