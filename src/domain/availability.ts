/**
 * When a room is open: weekly open hours per weekday plus single hours opened or closed on a date,
 * both wall-clock hours in the room's own zone (the site zone for a room without one), so 9–17
 * stays 9–17 across daylight-saving changes. A date's open hours make runs (09–12 and 14–17 are
 * two); each run is a period from its opening instant to its closing instant, cut into real hours
 * (time.ts says how DST days come out). Pure rules and parsing; no database.
 */
import type { FieldErrors } from './forms.ts';
import {
  blocksOfWallPeriod,
  dateInZone,
  datesCovering,
  type HourBlock,
  type WallPeriodBlock,
  weekdayOf,
} from './time.ts';

export const WEEKDAYS = [
  { day: 1, short: 'Mon', long: 'Monday' },
  { day: 2, short: 'Tue', long: 'Tuesday' },
  { day: 3, short: 'Wed', long: 'Wednesday' },
  { day: 4, short: 'Thu', long: 'Thursday' },
  { day: 5, short: 'Fri', long: 'Friday' },
  { day: 6, short: 'Sat', long: 'Saturday' },
  { day: 7, short: 'Sun', long: 'Sunday' },
] as const;

/** Open hours per weekday (1 = Monday): sorted hours 0–23 whose block starts the open hour. */
export type WeeklyHours = Map<number, number[]>;

export interface HourOverride {
  date: string;
  hour: number;
  isOpen: boolean;
}

export interface RoomHours {
  weekly: WeeklyHours;
  overrides: readonly HourOverride[];
}

/** Whether a wall-clock hour of a date is open: a date's override wins over the weekly hours. */
export function isBlockOpen(hours: RoomHours, block: Pick<HourBlock, 'date' | 'hour' | 'weekday'>): boolean {
  const override = hours.overrides.find((o) => o.date === block.date && o.hour === block.hour);
  if (override) return override.isOpen;
  return hours.weekly.get(block.weekday)?.includes(block.hour) ?? false;
}

/** The open wall-clock hours of a date (0–23, sorted): its weekday's hours with its overrides applied. */
export function openHoursOfDate(hours: RoomHours, date: string): number[] {
  const open = new Set(hours.weekly.get(weekdayOf(date)) ?? []);
  for (const override of hours.overrides) {
    if (override.date !== date) continue;
    if (override.isOpen) open.add(override.hour);
    else open.delete(override.hour);
  }
  return [...open].sort((a, b) => a - b);
}

/** Consecutive hours as `[from, to)` runs: [9, 10, 11, 14, 15] → [[9, 12], [14, 16]]. */
export function runsOfHours(hours: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const hour of hours) {
    const last = runs[runs.length - 1];
    if (last && last[1] === hour) last[1] = hour + 1;
    else runs.push([hour, hour + 1]);
  }
  return runs;
}

/** An open block of a room: one real hour, on the room's date. */
export interface RoomBlock extends WallPeriodBlock {
  /** The date in the room's zone whose open hours it belongs to. */
  date: string;
}

/** A room's open blocks on a date of its zone, in time order. */
export function roomBlocksOfDate(hours: RoomHours, date: string, zone: string): RoomBlock[] {
  return runsOfHours(openHoursOfDate(hours, date)).flatMap(([from, to]) =>
    blocksOfWallPeriod(date, from, to, zone).map((block) => ({ ...block, date })),
  );
}

/** A room's open blocks that start within `[from, to)`, whatever dates of its zone that spans. */
export function roomBlocksBetween(hours: RoomHours, zone: string, from: Date, to: Date): RoomBlock[] {
  return datesCovering(from, to, zone)
    .flatMap((date) => roomBlocksOfDate(hours, date, zone))
    .filter((b) => b.startsAt.getTime() >= from.getTime() && b.startsAt.getTime() < to.getTime());
}

/** Whether `[startsAt, endsAt)` is exactly one of the room's open blocks. */
export function isOpenBlock(hours: RoomHours, zone: string, period: { startsAt: Date; endsAt: Date }): boolean {
  // A block belongs to the date its opening instant falls on, which is the date its start falls on.
  return roomBlocksOfDate(hours, dateInZone(period.startsAt, zone), zone).some(
    (b) => b.startsAt.getTime() === period.startsAt.getTime() && b.endsAt.getTime() === period.endsAt.getTime(),
  );
}

/** Hours from `from` up to (not including) `to`. */
export function hourRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** "09–17" style summary of a weekday's open hours (several ranges if they have gaps). */
export function describeHours(hours: readonly number[]): string {
  if (hours.length === 0) return 'closed';
  const ranges: string[] = [];
  let start = hours[0]!;
  let previous = start;
  const pad = (h: number) => String(h).padStart(2, '0');
  for (const hour of [...hours.slice(1), -1]) {
    if (hour !== previous + 1) {
      ranges.push(`${pad(start)}:00–${pad(previous + 1)}:00`);
      start = hour;
    }
    previous = hour;
  }
  return ranges.join(', ');
}

const DAY_NAMES = new Map<string, number>(
  WEEKDAYS.flatMap((w) => [
    [w.short.toLowerCase(), w.day],
    [w.long.toLowerCase(), w.day],
  ]),
);

/**
 * Reads an hours spec like "Mon-Fri 09-17; Sat 10-14" (seed files). Days are ranges or single
 * days; hours are start and end hours. Returns null when it cannot be read.
 */
export function parseHoursSpec(spec: string): WeeklyHours | null {
  const weekly: WeeklyHours = new Map();
  const text = spec.trim();
  if (text === '' || /^closed$/i.test(text)) return weekly;
  for (const part of text
    .split(/[;,]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z]+)(?:\s*[-–]\s*([A-Za-z]+))?\s+(\d{1,2})(?::00)?\s*[-–]\s*(\d{1,2})(?::00)?$/.exec(part);
    if (!match) return null;
    const first = DAY_NAMES.get(match[1]!.toLowerCase());
    const last = match[2] ? DAY_NAMES.get(match[2].toLowerCase()) : first;
    const from = Number(match[3]);
    const to = Number(match[4]);
    if (!first || !last || last < first || from < 0 || to > 24 || to <= from) return null;
    for (let day = first; day <= last; day++) {
      const merged = new Set([...(weekly.get(day) ?? []), ...hourRange(from, to)]);
      weekly.set(
        day,
        [...merged].sort((a, b) => a - b),
      );
    }
  }
  return weekly;
}

/**
 * An hour as a form sends it: one or two digits, 0 to `max`. Anything else is no hour (an empty
 * field is not midnight, "1e1" is not ten).
 */
export function parseHour(value: unknown, max: 23 | 24): number | null {
  if (typeof value !== 'string' || !/^\s*\d{1,2}\s*$/.test(value)) return null;
  const hour = Number(value);
  return hour <= max ? hour : null;
}

/**
 * The weekly hours form: per weekday an "open" checkbox and from/to hours (one range a day;
 * single extra blocks are overrides).
 */
export function readWeeklyHoursForm(
  raw: Record<string, unknown>,
): { ok: true; weekly: WeeklyHours } | { ok: false; errors: FieldErrors } {
  const weekly: WeeklyHours = new Map();
  const errors: FieldErrors = {};
  for (const { day, long } of WEEKDAYS) {
    if (raw[`open${day}`] === undefined) continue;
    const from = parseHour(raw[`from${day}`], 23);
    const to = parseHour(raw[`to${day}`], 24);
    if (from === null || to === null || to <= from) {
      errors[`day${day}`] = `${long}: the closing hour must be after the opening hour.`;
      continue;
    }
    weekly.set(day, hourRange(from, to));
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, weekly };
}
