/**
 * Grouping the host's slots into weeks (Monday to Sunday in the schedule's zone), days inside them,
 * with each week's counts; and the instants a day or a week covers. Pure.
 */
import { countPhases, type PhaseCounts } from '../../src/domain/slot-filters.ts';
import type { Slot } from '../../src/domain/slots.ts';
import type { Locale } from '../../src/domain/locale.ts';
import {
  addDays,
  describeDayOfMonth,
  describeRange,
  startOfDate,
  todayInZone,
  weekdayOf,
} from '../../src/domain/time.ts';
import { type DayGroup, groupByDay } from './days.ts';

export interface WeekGroup {
  /** The Monday the week starts on, `YYYY-MM-DD`. */
  weekKey: string;
  /** "Week of 8 March" (with the year when it is not this year; the date in the reader's locale). */
  label: string;
  /** Every slot of the week, shown or not. */
  counts: PhaseCounts;
  /** The shown slots, by day. */
  days: DayGroup[];
}

// Dates are few (a schedule spans weeks, not years), and every list asks for the same ones.
const mondays = new Map<string, string>();
const spans = new Map<string, { from: number; to: number }>();
const CACHE_MAX = 10_000;
function remember<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= CACHE_MAX) map.clear();
    map.set(key, value);
  }
  return value;
}

/** The Monday of the week a date (`YYYY-MM-DD`) falls in. */
export const weekKeyOfDay = (dayKey: string): string =>
  remember(mondays, dayKey, () => addDays(dayKey, 1 - weekdayOf(dayKey)));

/** The date (`YYYY-MM-DD`) an instant (epoch ms) falls on in a zone. */
export const dayKeyOf = (instant: number, zone: string): string =>
  describeRange(new Date(instant), new Date(instant), zone).dayKey;

export const weekKeyOf = (instant: number, zone: string): string => weekKeyOfDay(dayKeyOf(instant, zone));

/** The instants [from, to) of `days` dates from `date` in a zone (a day: 1, a week from its Monday: 7). */
export const datesSpan = (date: string, days: number, zone: string): { from: number; to: number } =>
  remember(spans, `${date}|${days}|${zone}`, () => ({
    from: startOfDate(date, zone).getTime(),
    to: startOfDate(addDays(date, days), zone).getTime(),
  }));

export const weekSpan = (weekKey: string, zone: string) => datesSpan(weekKey, 7, zone);
export const daySpan = (dayKey: string, zone: string) => datesSpan(dayKey, 1, zone);

/** Sorted week keys of some instants, and their spans with neighbouring weeks merged (one read each). */
export function weeksOf(
  instants: Iterable<number>,
  zone: string,
): { weekKeys: string[]; spans: { from: number; to: number }[] } {
  const weekKeys = [...new Set([...instants].map((t) => weekKeyOf(t, zone)))].sort();
  const merged: { from: number; to: number }[] = [];
  for (const key of weekKeys) {
    const span = weekSpan(key, zone);
    const last = merged[merged.length - 1];
    if (last && last.to === span.from) last.to = span.to;
    else merged.push({ ...span });
  }
  return { weekKeys, spans: merged };
}

/** "Week of 8 March", and the year too when the week is not in this year. */
export function weekLabel(weekKey: string, zone: string, now: Date, locale: Locale = 'en-GB'): string {
  const thisYear = todayInZone(zone, now).slice(0, 4);
  return `Week of ${describeDayOfMonth(weekKey, weekKey.slice(0, 4) !== thisYear, locale)}`;
}

/** "12 open, 3 booked, 2 past" (parts that are zero left out). */
export function describeCounts(counts: PhaseCounts): string {
  const parts = [
    counts.open ? `${counts.open} open` : '',
    counts.booked ? `${counts.booked} booked` : '',
    counts.past ? `${counts.past} past` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no slots';
}

/** The current week and the next one are open on the page; later (and earlier) ones start collapsed. */
export function isOpenByDefault(weekKey: string, zone: string, now: Date): boolean {
  const current = weekKeyOfDay(todayInZone(zone, now));
  return weekKey === current || weekKey === addDays(current, 7);
}

/**
 * Slots (in start order) by week and day in `zone`: each week counts all its slots; its days hold
 * the ones `shown` keeps. Weeks with nothing shown are left out.
 */
export function groupByWeek(
  slots: readonly Slot[],
  zone: string,
  now: Date,
  shown: (slot: Slot) => boolean,
  locale: Locale = 'en-GB',
): WeekGroup[] {
  const weeks: { weekKey: string; all: Slot[]; shown: Slot[] }[] = [];
  for (const slot of slots) {
    const weekKey = weekKeyOf(slot.startsAt.getTime(), zone);
    let week = weeks[weeks.length - 1];
    if (week?.weekKey !== weekKey) {
      week = { weekKey, all: [], shown: [] };
      weeks.push(week);
    }
    week.all.push(slot);
    if (shown(slot)) week.shown.push(slot);
  }
  return weeks
    .filter((w) => w.shown.length > 0)
    .map((w) => ({
      weekKey: w.weekKey,
      label: weekLabel(w.weekKey, zone, now, locale),
      counts: countPhases(w.all, now),
      days: groupByDay(w.shown, zone, locale),
    }));
}

/**
 * Notes that repeat are shown once: when every slot of a day has the same note it goes under the
 * day's heading; otherwise a slot shows its note only where it differs from the slot before it.
 */
export function dayNotes(day: DayGroup): { dayNote: string | null; showsNote: (slot: Slot) => boolean } {
  const notes = day.items.map(({ slot }) => slot.notes);
  const first = notes[0] ?? '';
  if (first && notes.every((n) => n === first)) return { dayNote: first, showsNote: () => false };
  const shows = new Set<string>();
  day.items.forEach(({ slot }, i) => {
    if (slot.notes && slot.notes !== notes[i - 1]) shows.add(slot.id);
  });
  return { dayNote: null, showsNote: (slot) => shows.has(slot.id) };
}
