/**
 * Time zones and wall-clock conversion. The only importer of temporal-polyfill: the rest of the app
 * passes instants (Date) and IANA ids (strings) around, and asks this module to convert.
 */
import { Temporal } from 'temporal-polyfill';
import { backwardZoneLinks, currentZoneIds, pickableZoneIds } from './zone-table.ts';
import type { Locale } from './locale.ts';
import { describeDay, MONTHS_LONG, WEEKDAY_NAMES } from './time-labels.ts';

export {
  describeDayOfMonth,
  describeMonth,
  describeRange,
  formatUtcBasic,
  type RangeLabel,
  weekdayNames,
} from './time-labels.ts';

const currentIds = new Set(currentZoneIds);
const idsByLowerCase = new Map<string, string>();
for (const id of currentZoneIds) idsByLowerCase.set(id.toLowerCase(), id);
for (const [alias, target] of Object.entries(backwardZoneLinks)) idsByLowerCase.set(alias.toLowerCase(), target);

/**
 * The current IANA id for a zone name as a browser or a person gives it (legacy ids such as
 * `Asia/Calcutta` map to `Asia/Kolkata`; case is forgiven), or null when the tz database does not
 * know it.
 */
export function canonicalZone(input: string | null | undefined): string | null {
  if (!input) return null;
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 64) return null;
  if (currentIds.has(trimmed)) return trimmed;
  return idsByLowerCase.get(trimmed.toLowerCase()) ?? null;
}

/** Zones offered in pickers, current ids only. */
export function listPickableZones(): readonly string[] {
  return pickableZoneIds;
}

// A zone's friendly name belongs to an instant, not to the zone: Kyiv read "Moscow Standard Time" in
// 1970, Whitehorse left "Pacific Time" in November 2020, and Cairo reads "Eastern European Time
// (Egypt)" for the weeks each year when its clocks and Europe's disagree. So names are remembered per zone and
// UTC day, and only when the day begins and ends with the same name; on a day the name changes it
// is asked for the very instant.
const friendlyNames = new Map<string, string | null>();
const FRIENDLY_NAMES_MAX = 2_000;
const DAY_MS = 86_400_000;

function friendlyNameAt(format: Intl.DateTimeFormat, zone: string, at: number): string | null {
  try {
    const part = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
    // "GMT+05:45" style names say nothing the id does not.
    return part && !/^GMT[+-]/.test(part) && part !== zone ? part : null;
  } catch {
    return null;
  }
}

function friendlyName(zone: string, at: number): string | null {
  const day = Math.floor(at / DAY_MS);
  const key = `${zone}|${day}`;
  const known = friendlyNames.get(key);
  if (known !== undefined) return known;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longGeneric' });
  } catch {
    // Not a zone: not remembered, so strings that are not zones cannot grow the map.
    return null;
  }
  const first = friendlyNameAt(format, zone, day * DAY_MS);
  if (first !== friendlyNameAt(format, zone, (day + 1) * DAY_MS - 1)) return friendlyNameAt(format, zone, at);
  if (friendlyNames.size >= FRIENDLY_NAMES_MAX) friendlyNames.delete(friendlyNames.keys().next().value!);
  friendlyNames.set(key, first);
  return first;
}

/**
 * "America/Denver (Mountain Time)": the IANA id first, the friendly name it has at `at` after, when
 * there is one. Callers should pass `now` (or the instant the label sits beside); without it the
 * name is the one in force at the current instant.
 */
export function zoneLabel(zone: string, at: Date = new Date()): string {
  const time = at.getTime();
  const friendly = friendlyName(zone, Number.isFinite(time) ? time : Date.now());
  return friendly ? `${zone} (${friendly})` : zone;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The years the app works with. Every hour of their dates, in any zone, is an instant that both
 * JavaScript and PostgreSQL write and read as a plain ISO timestamp (PostgreSQL has no year 0, and
 * years past 9999 would need a sign); nobody schedules outside them.
 */
const FIRST_YEAR = 1900;
const LAST_YEAR = 9998;

/** A calendar date as `YYYY-MM-DD` that exists (no 30 February) within the years above, or null. */
export function parseDate(value: string): string | null {
  if (!DATE_RE.test(value)) return null;
  const year = Number(value.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) return null;
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' }).toString();
  } catch {
    return null;
  }
}

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

/**
 * An instant written as the app writes them (`toISOString()`, UTC), or null. `new Date()` alone
 * reads far more than that (numbers, trailing junk, years far outside any schedule).
 */
export function parseInstant(value: string): Date | null {
  if (!INSTANT_RE.test(value)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** A wall-clock time as `HH:MM` (browsers may send `HH:MM:SS`; seconds must then be zero), or null. */
export function parseTime(value: string): string | null {
  const trimmed = value.length === 8 && value.endsWith(':00') ? value.slice(0, 5) : value;
  return TIME_RE.test(trimmed) ? trimmed : null;
}

/** Minutes since midnight of an `HH:MM` time. */
export function minutesOfDay(time: string): number {
  const match = TIME_RE.exec(time);
  if (!match) throw new RangeError(`not a time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** `HH:MM` for minutes since midnight (0 ≤ minutes < 1440). */
export function timeOfMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export type WallTimeResult = { ok: true; instant: Date } | { ok: false; kind: 'gap' | 'overlap'; message: string };

function dayMonth(date: Temporal.PlainDate): string {
  return `${date.day} ${MONTHS_LONG[date.month - 1]}`;
}

function hhmm(time: Temporal.PlainTime): string {
  return time.toString({ smallestUnit: 'minute' });
}

/**
 * The instant a wall-clock date and time names in a zone. Times that do not exist (the clocks jump
 * over them) or happen twice (the clocks go back) are refused with a message saying so, because
 * guessing would put an appointment at an hour nobody meant.
 */
export function resolveWallTime(date: string, time: string, zone: string): WallTimeResult {
  const plain = Temporal.PlainDateTime.from(`${date}T${time}`);
  try {
    const zoned = plain.toZonedDateTime(zone, { disambiguation: 'reject' });
    return { ok: true, instant: new Date(zoned.epochMilliseconds) };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const earlier = plain.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const later = plain.toZonedDateTime(zone, { disambiguation: 'later' });
  const twice = earlier.toPlainDateTime().equals(plain) && later.toPlainDateTime().equals(plain);
  const transition = earlier.getTimeZoneTransition('next');
  if (!transition) throw new RangeError(`no transition near ${date}T${time} in ${zone}`);
  const before = hhmm(transition.toInstant().toZonedDateTimeISO(earlier.offset).toPlainTime());
  const after = hhmm(transition.toPlainTime());
  const day = dayMonth(plain.toPlainDate());
  return twice
    ? {
        ok: false,
        kind: 'overlap',
        message: `${time} happens twice on ${day} in ${zone}: clocks go back from ${before} to ${after}`,
      }
    : {
        ok: false,
        kind: 'gap',
        message: `${time} does not exist on ${day} in ${zone}: clocks jump from ${before} to ${after}`,
      };
}

/** Today's date (`YYYY-MM-DD`) in a zone. */
export function todayInZone(zone: string, now: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate().toString();
}

// A day's margin either side of the years above covers every zone's offset.
const EARLIEST_INSTANT = Date.UTC(FIRST_YEAR, 0, 1) - 86_400_000;
const LATEST_INSTANT = Date.UTC(LAST_YEAR + 1, 0, 1) + 86_400_000;

/** One site-zone hour block of a date. */
export interface HourBlock {
  date: string;
  hour: number;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The hour blocks of a date in a zone, by wall-clock hour (0–23). An hour the clocks skip has no
 * block (null); an hour that happens twice is its first occurrence. Every block lasts one real hour.
 */
export function hourBlocksOfDate(date: string, zone: string): (HourBlock | null)[] {
  const day = Temporal.PlainDate.from(date);
  const blocks: (HourBlock | null)[] = [];
  for (let hour = 0; hour < 24; hour++) {
    const time = timeOfMinutes(hour * 60);
    const resolved = resolveWallTime(date, time, zone);
    let startsAt: Date | null = null;
    if (resolved.ok) startsAt = resolved.instant;
    else if (resolved.kind === 'overlap') {
      startsAt = new Date(
        day.toPlainDateTime(Temporal.PlainTime.from(time)).toZonedDateTime(zone, { disambiguation: 'earlier' })
          .epochMilliseconds,
      );
    }
    blocks.push(
      startsAt
        ? { date, hour, weekday: day.dayOfWeek, startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000) }
        : null,
    );
  }
  return blocks;
}

/** The site-zone block an instant starts, if it starts one exactly (minute and second zero). */
export function blockStartingAt(instant: Date, zone: string): HourBlock | null {
  // Instants outside the years above (or no instant at all) start no block anyone can hold.
  const time = instant.getTime();
  if (!(time >= EARLIEST_INSTANT && time <= LATEST_INSTANT)) return null;
  const zoned = Temporal.Instant.fromEpochMilliseconds(time).toZonedDateTimeISO(zone);
  if (zoned.minute !== 0 || zoned.second !== 0 || zoned.millisecond !== 0) return null;
  const date = parseDate(zoned.toPlainDate().toString());
  if (!date) return null;
  const block = hourBlocksOfDate(date, zone)[zoned.hour];
  return block && block.startsAt.getTime() === instant.getTime() ? block : null;
}

/** A date moved by whole days (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a date. */
export function weekdayOf(date: string): number {
  return Temporal.PlainDate.from(date).dayOfWeek;
}

/** The zone this machine runs in, as a current IANA id (UTC when unknown). */
export function systemZone(): string {
  try {
    return canonicalZone(new Intl.DateTimeFormat().resolvedOptions().timeZone) ?? 'UTC';
  } catch {
    return 'UTC';
  }
}

const dateLabels = new Map<string, { dayLabel: string; shortDay: string }>();

/**
 * Labels for a calendar date itself (no zone involved): "Tuesday 16 March 2027", "Tue 16 Mar" in
 * en-GB (the default), Intl's own words and order in other locales ("Dienstag, 16. März 2027").
 */
export function describeDate(date: string, locale: Locale = 'en-GB'): { dayLabel: string; shortDay: string } {
  const key = `${date}|${locale}`;
  let label = dateLabels.get(key);
  if (!label) {
    label = computeDescribeDate(date, locale);
    if (dateLabels.size >= 20_000) dateLabels.clear();
    dateLabels.set(key, label);
  }
  return label;
}

function computeDescribeDate(date: string, locale: Locale): { dayLabel: string; shortDay: string } {
  const day = Temporal.PlainDate.from(date);
  // The date's midnight in UTC, read in UTC, is that date in every locale.
  if (locale !== 'en-GB') return describeDay(new Date(day.toZonedDateTime('UTC').epochMilliseconds), 'UTC', locale);
  const weekday = WEEKDAY_NAMES[day.dayOfWeek - 1]!;
  const month = MONTHS_LONG[day.month - 1]!;
  return {
    dayLabel: `${weekday} ${day.day} ${month} ${day.year}`,
    shortDay: `${weekday.slice(0, 3)} ${day.day} ${month.slice(0, 3)}`,
  };
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month as `YYYY-MM` within the app's years, or null. */
export function parseMonth(value: string | null | undefined): string | null {
  if (!value || !MONTH_RE.test(value)) return null;
  const year = Number(value.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR ? value : null;
}

/** A month (`YYYY-MM`) moved by whole months. */
export function addMonths(month: string, months: number): string {
  return Temporal.PlainYearMonth.from(month).add({ months }).toString();
}

/**
 * The dates a month calendar shows, week by week from Monday: the month's own dates, and the days
 * of the months either side that fill its first and last weeks.
 */
export function monthWeeks(month: string): readonly (readonly string[])[] {
  let weeks = monthGrids.get(month);
  if (!weeks) {
    weeks = computeMonthWeeks(month);
    if (monthGrids.size >= 1000) monthGrids.clear();
    monthGrids.set(month, weeks);
  }
  return weeks;
}

// Every booking page draws its month: grids and day starts are worth remembering (bounded).
const monthGrids = new Map<string, readonly (readonly string[])[]>();
const dateStarts = new Map<string, Date>();

function computeMonthWeeks(month: string): string[][] {
  const first = Temporal.PlainYearMonth.from(month).toPlainDate({ day: 1 });
  let day = first.subtract({ days: first.dayOfWeek - 1 });
  const last = first.add({ months: 1 }).subtract({ days: 1 });
  const weeks: string[][] = [];
  while (Temporal.PlainDate.compare(day, last) <= 0) {
    const week: string[] = [];
    for (let i = 0; i < 7; i++) {
      week.push(day.toString());
      day = day.add({ days: 1 });
    }
    weeks.push(week);
  }
  return weeks;
}

/** The instant a date begins in a zone (midnight, or the first instant of a day that skips it). */
export function startOfDate(date: string, zone: string): Date {
  const key = `${date}|${zone}`;
  let start = dateStarts.get(key);
  if (start === undefined) {
    start = new Date(Temporal.PlainDate.from(date).toZonedDateTime(zone).epochMilliseconds);
    if (dateStarts.size >= 20_000) dateStarts.clear();
    dateStarts.set(key, start);
  }
  return new Date(start.getTime());
}

/** One real hour of a room's open period, as instants, with how its start reads on the room's clock. */
export interface WallPeriodBlock {
  startsAt: Date;
  endsAt: Date;
  /** The start on the zone's clock, `HH:MM`. */
  localTime: string;
  /** "09:00", or "01:00, second time: clocks went back" for a start the clocks show twice that day. */
  localLabel: string;
  /** The clocks showed this start once already that day (they went back). */
  repeated: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * The real hours of the period from wall-clock hour `fromHour` to `toHour` (24 = the next midnight)
 * of a date in a zone. Each end is resolved with Temporal's `compatible` disambiguation (a time the
 * clocks skip moves forward, one they show twice is its first occurrence); the blocks are whole real
 * hours from the opening instant on. So a period spanning the spring change has one block fewer, one
 * spanning the autumn change one more, and a part-hour left over (zones that shift by 30 minutes) is
 * no block.
 */
export function blocksOfWallPeriod(date: string, fromHour: number, toHour: number, zone: string): WallPeriodBlock[] {
  const day = Temporal.PlainDate.from(date);
  const at = (hour: number) =>
    (hour >= 24 ? day.add({ days: 1 }) : day)
      .toPlainDateTime({ hour: hour % 24 })
      .toZonedDateTime(zone, { disambiguation: 'compatible' });
  const opens = at(fromHour).epochMilliseconds;
  const closes = at(toHour).epochMilliseconds;
  const blocks: WallPeriodBlock[] = [];
  for (let start = opens; start + HOUR_MS <= closes; start += HOUR_MS) {
    const zoned = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(zone);
    const wall = zoned.toPlainDateTime();
    const first = wall.toZonedDateTime(zone, { disambiguation: 'earlier' }).epochMilliseconds;
    const repeated = first < start;
    const localTime = hhmm(zoned.toPlainTime());
    blocks.push({
      startsAt: new Date(start),
      endsAt: new Date(start + HOUR_MS),
      localTime,
      localLabel: repeated ? `${localTime}, second time: clocks went back` : localTime,
      repeated,
    });
  }
  return blocks;
}

/** The date (`YYYY-MM-DD`) an instant falls on in a zone. */
export function dateInZone(instant: Date, zone: string): string {
  return todayInZone(zone, instant);
}

/**
 * The dates of a zone that the instants from `from` to `to` touch, in order (a site-zone day seen
 * in another zone touches two, rarely three). Empty when `to` is not after `from`.
 */
export function datesCovering(from: Date, to: Date, zone: string): string[] {
  if (to.getTime() <= from.getTime()) return [];
  const last = dateInZone(new Date(to.getTime() - 1), zone);
  const dates: string[] = [];
  for (let date = dateInZone(from, zone); date <= last && dates.length < 7; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** The zone's wall-clock hour blocks (as hourBlocksOfDate makes them) that overlap `[from, to)`. */
export function hourBlocksOverlapping(from: Date, to: Date, zone: string): HourBlock[] {
  if (!isWorkableInstant(from) || !isWorkableInstant(to)) return [];
  return datesCovering(from, to, zone)
    .flatMap((date) => hourBlocksOfDate(date, zone))
    .filter(
      (b): b is HourBlock => b !== null && b.startsAt.getTime() < to.getTime() && from.getTime() < b.endsAt.getTime(),
    );
}

/** Whether an instant lies within the years the app works with (see FIRST_YEAR). */
export function isWorkableInstant(instant: Date): boolean {
  const time = instant.getTime();
  return time >= EARLIEST_INSTANT && time <= LATEST_INSTANT;
}
