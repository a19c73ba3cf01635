/**
 * What the booking page shows one visitor, read for that view only: a month's per-day counts (in the
 * visitor's zone), one day's slots, and the next open time. The cost follows what is shown, not the
 * size of the schedule: a month reads start instants and open flags, a day reads its own slots.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { slots as slotsTable } from '../db/schema.ts';
import { listSlotsStartingBetween, type Slot } from './slots.ts';
import {
  addDays,
  addMonths,
  describeRange,
  monthWeeks,
  parseDate,
  parseMonth,
  startOfDate,
  todayInZone,
} from './time.ts';

/** A day of the calendar: how many of its slots can still be booked, of how many. */
export interface DayCount {
  open: number;
  total: number;
}

/** One visitor's view of the booking page: a month, a chosen day in it, in a zone. */
export interface BookingView {
  zone: string;
  month: string;
  /** The chosen day (in `month`), or null when the month has no open time to open on. */
  day: string | null;
  /** Today in the zone: earlier days cannot be chosen. */
  today: string;
  /** Counts for the month's days that have slots. */
  counts: Map<string, DayCount>;
  /** The chosen day's slots, earliest first. */
  daySlots: Slot[];
  /** The first slot anyone can still book, if any. */
  next: { startsAt: Date; endsAt: Date } | null;
}

/** What a visitor asked to see (query parameters, unchecked). */
export interface ViewRequest {
  month?: string | undefined;
  day?: string | undefined;
}

/** The first slot that can still be booked (not booked, not started). */
export async function findNextOpenSlot(
  db: Database,
  scheduleId: string,
  now: Date,
): Promise<{ startsAt: Date; endsAt: Date } | null> {
  const result = await db.execute<{ s: number; e: number }>(sql`
    SELECT (extract(epoch FROM starts_at) * 1000)::float8 AS s, (extract(epoch FROM ends_at) * 1000)::float8 AS e
    FROM ${slotsTable}
    WHERE schedule_id = ${scheduleId} AND booking_id IS NULL AND starts_at > ${now.toISOString()}
    ORDER BY starts_at LIMIT 1`);
  const row = result.rows[0];
  return row ? { startsAt: new Date(Number(row.s)), endsAt: new Date(Number(row.e)) } : null;
}

/** Start instants and whether each slot is unbooked, for slots starting in [from, to), in order. */
async function listSlotMarks(
  db: Database,
  scheduleId: string,
  from: Date,
  to: Date,
): Promise<{ s: number; open: boolean }[]> {
  const result = await db.execute<{ marks: string }>(sql`
    SELECT coalesce(json_agg(json_build_array(extract(epoch FROM starts_at) * 1000, booking_id IS NULL)
      ORDER BY starts_at), '[]'::json)::text AS marks
    FROM ${slotsTable}
    WHERE schedule_id = ${scheduleId} AND starts_at >= ${from.toISOString()} AND starts_at < ${to.toISOString()}`);
  const list = JSON.parse(result.rows[0]?.marks ?? '[]') as [number, boolean][];
  return list.map(([s, open]) => ({ s, open }));
}

/** The dates of a month (`YYYY-MM`), first to last. */
export function datesOfMonth(month: string): string[] {
  return monthWeeks(month)
    .flat()
    .filter((d) => d.startsWith(month));
}

/**
 * Counts slots by the date they start on in `zone`, for the given consecutive dates. A slot is open
 * while unbooked and not started.
 */
export function countByDay(
  marks: readonly { s: number; open: boolean }[],
  dates: readonly string[],
  zone: string,
  now: Date,
): Map<string, DayCount> {
  const counts = new Map<string, DayCount>();
  if (dates.length === 0) return counts;
  // Day boundaries once per date, then one pass over the (ordered) marks.
  const bounds = [...dates, addDays(dates[dates.length - 1]!, 1)].map((d) => startOfDate(d, zone).getTime());
  let day = 0;
  for (const mark of marks) {
    while (day < dates.length && mark.s >= bounds[day + 1]!) day++;
    if (day >= dates.length) break;
    if (mark.s < bounds[day]!) continue;
    const key = dates[day]!;
    const count = counts.get(key) ?? { open: 0, total: 0 };
    count.total++;
    if (mark.open && mark.s > now.getTime()) count.open++;
    counts.set(key, count);
  }
  return counts;
}

/** Per-day counts for some dates of a schedule, in a zone (consecutive dates, ascending). */
export async function readDayCounts(
  db: Database,
  scheduleId: string,
  dates: readonly string[],
  zone: string,
  now: Date,
): Promise<Map<string, DayCount>> {
  if (dates.length === 0) return new Map();
  const from = startOfDate(dates[0]!, zone);
  const to = startOfDate(addDays(dates[dates.length - 1]!, 1), zone);
  return countByDay(await listSlotMarks(db, scheduleId, from, to), dates, zone, now);
}

/** A day's slots in a zone, earliest first. */
export function listSlotsOfDay(db: Database, scheduleId: string, date: string, zone: string): Promise<Slot[]> {
  return listSlotsStartingBetween(db, scheduleId, startOfDate(date, zone), startOfDate(addDays(date, 1), zone));
}

/** The day (in `zone`) a slot starts on. */
export const dayOfInstant = (instant: Date, zone: string): string => describeRange(instant, instant, zone).dayKey;

/**
 * Decides which month and day a request shows, and reads them: a chosen day (and its month); or a
 * month, opening on its first day from today with an open slot; or, by default, the day of the next
 * open slot (today when there is none).
 */
export async function readBookingView(
  db: Database,
  scheduleId: string,
  request: ViewRequest,
  zone: string,
  now: Date,
): Promise<BookingView> {
  const today = todayInZone(zone, now);
  const next = await findNextOpenSlot(db, scheduleId, now);
  let day = parseDate(request.day ?? '');
  let month = day ? day.slice(0, 7) : parseMonth(request.month);
  if (!month) {
    day = next ? dayOfInstant(next.startsAt, zone) : today;
    month = day.slice(0, 7);
  }
  const counts = await readDayCounts(db, scheduleId, datesOfMonth(month), zone, now);
  if (!day) {
    day = datesOfMonth(month).find((d) => d >= today && (counts.get(d)?.open ?? 0) > 0) ?? null;
  }
  const daySlots = day ? await listSlotsOfDay(db, scheduleId, day, zone) : [];
  return { zone, month, day, today, counts, daySlots, next };
}

/** The months either side of one, for "previous" and "next" links. */
export const monthsAround = (month: string) => ({ previous: addMonths(month, -1), next: addMonths(month, 1) });
