/**
 * How instants read in a zone: day and time labels for slots, cells and calendar links. Intl only
 * (no Temporal: conversions live in time.ts, which re-exports these); labels are cached, bounded.
 * en-GB labels are written by hand in the app's house style; other locales take Intl's own words and
 * order.
 */
import type { Locale } from './locale.ts';

export const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface ZonedParts {
  dayKey: string;
  weekdayShort: string;
  weekdayLong: string;
  day: number;
  monthShort: string;
  monthLong: string;
  year: number;
  time: string;
}

// Intl formatters are costly to build and cheap to reuse: one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function zonedParts(instant: Date, zone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) parts[part.type] = part.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const monthLong = MONTHS_LONG[month - 1] ?? '';
  const weekdayLong = parts.weekday ?? '';
  return {
    dayKey: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    weekdayShort: weekdayLong.slice(0, 3),
    weekdayLong,
    day,
    monthShort: monthLong.slice(0, 3),
    monthLong,
    year,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** How a time range reads in one zone. */
export interface RangeLabel {
  /** `YYYY-MM-DD` of the start, in the zone: slots are grouped by it. */
  dayKey: string;
  /** "Tuesday 16 March 2027" */
  dayLabel: string;
  /** "Tue 16 Mar" */
  shortDay: string;
  /** "10:00–10:30" */
  timeRange: string;
  /** "10:00" (or "10:00 AM"): the start alone. */
  startTime: string;
  /** The range ends on a later date than it starts, in this zone. */
  endsNextDay: boolean;
  /** "Tue 16 Mar 2027, 10:00–10:30" (with "(next day)" when it crosses midnight). */
  full: string;
}

// Many viewers read the same slots in a handful of zones: labels are worth remembering.
const rangeLabels = new Map<string, RangeLabel>();
const RANGE_LABELS_MAX = 20_000;

/** Labels for an instant range as read in a zone, written in a locale (en-GB unless told). */
export function describeRange(start: Date, end: Date, zone: string, locale: Locale = 'en-GB'): RangeLabel {
  const key = `${start.getTime()}|${end.getTime()}|${zone}|${locale}`;
  let label = rangeLabels.get(key);
  if (!label) {
    label = locale === 'en-GB' ? computeRange(start, end, zone) : computeLocalRange(start, end, zone, locale);
    if (rangeLabels.size >= RANGE_LABELS_MAX) rangeLabels.clear();
    rangeLabels.set(key, label);
  }
  return label;
}

/** "Tuesday 16 March 2027" and "Tue 16 Mar" for the date an instant falls on in a zone. */
export function describeDay(
  instant: Date,
  zone: string,
  locale: Locale = 'en-GB',
): Pick<RangeLabel, 'dayLabel' | 'shortDay'> {
  if (locale === 'en-GB') {
    const a = zonedParts(instant, zone);
    return {
      dayLabel: `${a.weekdayLong} ${a.day} ${a.monthLong} ${a.year}`,
      shortDay: `${a.weekdayShort} ${a.day} ${a.monthShort}`,
    };
  }
  const f = localFormattersFor(zone, locale);
  return { dayLabel: f.dayLabel.format(instant), shortDay: f.shortDay.format(instant) };
}

function computeRange(start: Date, end: Date, zone: string): RangeLabel {
  const a = zonedParts(start, zone);
  const b = zonedParts(end, zone);
  const endsNextDay = b.dayKey !== a.dayKey;
  const timeRange = `${a.time}–${b.time}${endsNextDay ? ' (next day)' : ''}`;
  const shortDay = `${a.weekdayShort} ${a.day} ${a.monthShort}`;
  return {
    dayKey: a.dayKey,
    dayLabel: `${a.weekdayLong} ${a.day} ${a.monthLong} ${a.year}`,
    shortDay,
    timeRange,
    startTime: a.time,
    endsNextDay,
    full: `${shortDay} ${a.year}, ${timeRange}`,
  };
}

interface LocalFormatters {
  dayLabel: Intl.DateTimeFormat;
  shortDay: Intl.DateTimeFormat;
  /** Times alone, for a range within one day. */
  time: Intl.DateTimeFormat;
  /** Times with their dates, for a range that ends on a later day ("(next day)" is English). */
  timeWithDate: Intl.DateTimeFormat;
  full: Intl.DateTimeFormat;
}

// One set per zone and locale; the oldest set goes when the map is full.
const localFormatters = new Map<string, LocalFormatters>();
const LOCAL_FORMATTERS_MAX = 512;
function localFormattersFor(zone: string, locale: Locale): LocalFormatters {
  const key = `${zone}|${locale}`;
  let set = localFormatters.get(key);
  if (!set) {
    // The locale decides the hour cycle (12-hour in en-US and hi), the order and the words.
    const format = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
    set = {
      dayLabel: format({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      shortDay: format({ weekday: 'short', day: 'numeric', month: 'short' }),
      time: format({ hour: 'numeric', minute: '2-digit' }),
      timeWithDate: format({ day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }),
      full: format({
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
      }),
    };
    if (localFormatters.size >= LOCAL_FORMATTERS_MAX) localFormatters.delete(localFormatters.keys().next().value!);
    localFormatters.set(key, set);
  }
  return set;
}

function computeLocalRange(start: Date, end: Date, zone: string, locale: Locale): RangeLabel {
  const f = localFormattersFor(zone, locale);
  // Which day an instant falls on does not depend on the language it is written in.
  const startKey = zonedParts(start, zone).dayKey;
  const endsNextDay = zonedParts(end, zone).dayKey !== startKey;
  return {
    dayKey: startKey,
    dayLabel: f.dayLabel.format(start),
    shortDay: f.shortDay.format(start),
    timeRange: (endsNextDay ? f.timeWithDate : f.time).formatRange(start, end),
    startTime: f.time.format(start),
    endsNextDay,
    full: f.full.formatRange(start, end),
  };
}

/** `20270316T150000Z`: the UTC basic format calendar links use. */
export function formatUtcBasic(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** English weekday names, Monday first (the app's own way of writing dates). */
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const calendarWords = new Map<Locale, { weekdays: { short: string; long: string }[]; months: Map<string, string> }>();

function wordsFor(locale: Locale) {
  let words = calendarWords.get(locale);
  if (!words) {
    // 1 January 2024 was a Monday: a week of days from it names the weekdays Monday first.
    const monday = Date.UTC(2024, 0, 1);
    const short = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
    words = {
      weekdays:
        locale === 'en-GB'
          ? WEEKDAY_NAMES.map((w) => ({ short: w.slice(0, 3), long: w }))
          : WEEKDAY_NAMES.map((_, i) => ({
              short: short.format(monday + i * 86_400_000),
              long: long.format(monday + i * 86_400_000),
            })),
      months: new Map(),
    };
    calendarWords.set(locale, words);
  }
  return words;
}

/** Weekday names, Monday first, in a locale: column heads of a month calendar. */
export function weekdayNames(locale: Locale = 'en-GB'): readonly { short: string; long: string }[] {
  return wordsFor(locale).weekdays;
}

const dayMonths = new Map<string, string>();

/**
 * "8 March" (or "March 8", "8. März"), with the year when asked, for a date written `YYYY-MM-DD`:
 * the start of a week in a heading.
 */
export function describeDayOfMonth(date: string, withYear: boolean, locale: Locale = 'en-GB'): string {
  const key = `${date}|${withYear}|${locale}`;
  let label = dayMonths.get(key);
  if (!label) {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    label =
      locale === 'en-GB'
        ? `${day} ${MONTHS_LONG[month - 1]}${withYear ? ` ${year}` : ''}`
        : new Intl.DateTimeFormat(locale, {
            day: 'numeric',
            month: 'long',
            ...(withYear ? { year: 'numeric' } : {}),
            timeZone: 'UTC',
          }).format(Date.UTC(year, month - 1, day));
    if (dayMonths.size >= 20_000) dayMonths.clear();
    dayMonths.set(key, label);
  }
  return label;
}

/** "March 2027" (or "März 2027", "2027年3月") for a month written `YYYY-MM`. */
export function describeMonth(month: string, locale: Locale = 'en-GB'): string {
  const { months } = wordsFor(locale);
  let label = months.get(month);
  if (!label) {
    const [year, number] = month.split('-').map(Number) as [number, number];
    label =
      locale === 'en-GB'
        ? `${MONTHS_LONG[number - 1]} ${year}`
        : new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
            Date.UTC(year, number - 1, 1),
          );
    if (months.size >= 1000) months.clear();
    months.set(month, label);
  }
  return label;
}
