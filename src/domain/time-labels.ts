/**
 * How instants read in a zone: day and time labels for slots, cells and calendar links. Intl only
 * (no Temporal: conversions live in time.ts, which re-exports these); labels are cached, bounded.
 */

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
  /** The range ends on a later date than it starts, in this zone. */
  endsNextDay: boolean;
  /** "Tue 16 Mar 2027, 10:00–10:30" (with "(next day)" when it crosses midnight). */
  full: string;
}

// Many viewers read the same slots in a handful of zones: labels are worth remembering.
const rangeLabels = new Map<string, RangeLabel>();
const RANGE_LABELS_MAX = 20_000;

/** Labels for an instant range as read in a zone. */
export function describeRange(start: Date, end: Date, zone: string): RangeLabel {
  const key = `${start.getTime()}|${end.getTime()}|${zone}`;
  let label = rangeLabels.get(key);
  if (!label) {
    label = computeRange(start, end, zone);
    if (rangeLabels.size >= RANGE_LABELS_MAX) rangeLabels.clear();
    rangeLabels.set(key, label);
  }
  return label;
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
    endsNextDay,
    full: `${shortDay} ${a.year}, ${timeRange}`,
  };
}

/** `20270316T150000Z`: the UTC basic format calendar links use. */
export function formatUtcBasic(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
