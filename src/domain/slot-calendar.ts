/**
 * What the booking page shows one visitor, read for that view only: a month's per-day counts (in the
 * visitor's zone), one day's slots, and the next open time. The cost follows what is shown, not the
 * size of the schedule: a month reads start instants and open flags, a day reads its own slots.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { slots as slotsTable } from '../db/schema.ts';
import { fromSlotJson, listSlotsStartingBetween, type Slot, type SlotJson, slotJson } from './slots.ts';
import { addDays, describeRange, monthWeeks, parseDate, parseMonth, startOfDate, todayInZone } from './time.ts';

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

/** The dates of a month (`YYYY-MM`), first to last. */
export function datesOfMonth(month: string): string[] {
  return monthWeeks(month)
    .flat()
    .filter((d) => d.startsWith(month));
}

/** Day boundaries of consecutive dates in a zone: each date's start, and the start of the day after. */
const boundsOf = (dates: readonly string[], zone: string) =>
  [...dates, addDays(dates[dates.length - 1]!, 1)].map((d) => startOfDate(d, zone));

/**
 * Per-day counts as one JSON array of [bucket, total, open]: the day boundaries are computed here, in
 * the zone, and the database buckets slots by them (width_bucket). A slot is open while unbooked and
 * not started.
 */
const countsJson = (scheduleId: string, bounds: readonly Date[], now: Date) => sql`
  (SELECT coalesce(json_agg(json_build_array(c.b, c.n, c.o)), '[]'::json) FROM (
     SELECT width_bucket(starts_at, ${instantArray(bounds)}::timestamptz[]) AS b, count(*) AS n,
            count(*) FILTER (WHERE booking_id IS NULL AND starts_at > ${now.toISOString()}) AS o
     FROM ${slotsTable}
     WHERE schedule_id = ${scheduleId} AND starts_at >= ${bounds[0]!.toISOString()}
       AND starts_at < ${bounds[bounds.length - 1]!.toISOString()}
     GROUP BY 1) c)::text`;

/** The counts `countsJson` read, by date. */
function countsByDate(json: string | undefined, dates: readonly string[]): Map<string, DayCount> {
  const counts = new Map<string, DayCount>();
  for (const [bucket, total, open] of JSON.parse(json ?? '[]') as [number, number, number][]) {
    const date = dates[Number(bucket) - 1];
    if (date) counts.set(date, { open: Number(open), total: Number(total) });
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
  const result = await db.execute<{ counts: string }>(
    sql`SELECT ${countsJson(scheduleId, boundsOf(dates, zone), now)} AS counts`,
  );
  return countsByDate(result.rows[0]?.counts, dates);
}

/** A day's slots in a zone, earliest first. */
export function listSlotsOfDay(db: Database, scheduleId: string, date: string, zone: string): Promise<Slot[]> {
  return listSlotsStartingBetween(db, scheduleId, startOfDate(date, zone), startOfDate(addDays(date, 1), zone));
}

/** The day (in `zone`) a slot starts on. */
export const dayOfInstant = (instant: Date, zone: string): string => describeRange(instant, instant, zone).dayKey;

/** Postgres array literal of instants: one parameter, whatever the count. */
const instantArray = (list: readonly Date[]) => `{${list.map((d) => d.toISOString()).join(',')}}`;

/**
 * In one round trip: per-day counts for `dates` (their day boundaries computed here, in the zone,
 * and bucketed by the database with width_bucket), the slots of one day, and a visitor's booking.
 */
async function readViewParts(
  db: Database,
  scheduleId: string,
  input: { dates: readonly string[]; day: string | null; zone: string; now: Date; visitorHash: string | null },
): Promise<{ counts: Map<string, DayCount>; daySlots: Slot[]; mine: Slot | null }> {
  const { dates, day, zone, now } = input;
  const dayFrom = day ? startOfDate(day, zone) : new Date(0);
  const dayTo = day ? startOfDate(addDays(day, 1), zone) : new Date(0);
  const result = await db.execute<{ counts: string; day: string; mine: string | null }>(sql`
    SELECT
      ${countsJson(scheduleId, boundsOf(dates, zone), now)} AS counts,
      (SELECT coalesce(json_agg(${slotJson()} ORDER BY starts_at), '[]'::json)
         FROM ${slotsTable}
         WHERE schedule_id = ${scheduleId} AND starts_at >= ${dayFrom.toISOString()}
           AND starts_at < ${dayTo.toISOString()})::text AS day,
      (SELECT ${slotJson()} FROM ${slotsTable}
         WHERE schedule_id = ${scheduleId} AND visitor_hash = ${input.visitorHash ?? ''}
           AND ends_at > ${now.toISOString()} LIMIT 1)::text AS mine`);
  const row = result.rows[0];
  const counts = countsByDate(row?.counts, dates);
  const daySlots = (JSON.parse(row?.day ?? '[]') as SlotJson[]).map((j) => fromSlotJson(j, scheduleId));
  const mine = row?.mine ? fromSlotJson(JSON.parse(row.mine) as SlotJson, scheduleId) : null;
  return { counts, daySlots, mine: input.visitorHash ? mine : null };
}

/**
 * Decides which month and day a request shows, and reads them (and, given a visitor, their booking):
 * a chosen day (and its month); or a month, opening on its first day from today with an open slot;
 * or, by default, the day of the next open slot (today when there is none).
 */
export async function readVisitorPage(
  db: Database,
  scheduleId: string,
  request: ViewRequest,
  zone: string,
  now: Date,
  visitorHash: string | null,
): Promise<{ view: BookingView; mine: Slot | null }> {
  const today = todayInZone(zone, now);
  const next = await findNextOpenSlot(db, scheduleId, now);
  let day = parseDate(request.day ?? '');
  let month = day ? day.slice(0, 7) : parseMonth(request.month);
  if (!month) {
    day = next ? dayOfInstant(next.startsAt, zone) : today;
    month = day.slice(0, 7);
  }
  const dates = datesOfMonth(month);
  if (day) {
    const parts = await readViewParts(db, scheduleId, { dates, day, zone, now, visitorHash });
    return {
      view: { zone, month, day, today, counts: parts.counts, daySlots: parts.daySlots, next },
      mine: parts.mine,
    };
  }
  // A month asked for: its counts (and the booking) first, then the day of its first open slot from today.
  const parts = await readViewParts(db, scheduleId, { dates, day: null, zone, now, visitorHash });
  const first = dates.find((d) => d >= today && (parts.counts.get(d)?.open ?? 0) > 0) ?? null;
  const daySlots = first ? await listSlotsOfDay(db, scheduleId, first, zone) : [];
  return { view: { zone, month, day: first, today, counts: parts.counts, daySlots, next }, mine: parts.mine };
}

/** What one view of the booking page shows (no visitor's own booking). */
export async function readBookingView(
  db: Database,
  scheduleId: string,
  request: ViewRequest,
  zone: string,
  now: Date,
): Promise<BookingView> {
  return (await readVisitorPage(db, scheduleId, request, zone, now, null)).view;
}
