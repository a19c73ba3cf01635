/**
 * The columns of the rooms grid: the reader's real hours of a date (a day whose clocks go back has
 * two 01:00s, one that springs forward one hour fewer) within a window of wall-clock hours, a
 * working day unless the reader asks for earlier or later ones.
 */
import { blocksOfWallPeriod, describeRange } from './time.ts';

/** A period of time, `[startsAt, endsAt)`. */
export interface Period {
  startsAt: Date;
  endsAt: Date;
}

/** Wall-clock hours of the viewer's date shown as columns: `[from, to)`, 0 ≤ from < to ≤ 24. */
export interface HourWindow {
  from: number;
  to: number;
}

/** The columns a grid shows unless asked for earlier or later hours. */
export const WORKING_DAY: HourWindow = { from: 7, to: 20 };

/** The window from query parameters, clamped to the day (a bound missing or unreadable: the working day's). */
export function parseHourWindow(from: string | undefined, to: string | undefined): HourWindow {
  const read = (value: string | undefined) => (value && /^\d{1,2}$/.test(value) ? Number(value) : null);
  const f = read(from);
  const t = read(to);
  if (f === null && t === null) return WORKING_DAY;
  const start = Math.min(Math.max(f ?? WORKING_DAY.from, 0), 23);
  const end = Math.min(Math.max(t ?? WORKING_DAY.to, start + 1), 24);
  return { from: start, to: end };
}

/** The smallest window that holds the working day and this wall-clock hour. */
export function windowIncluding(hour: number): HourWindow {
  return { from: Math.min(WORKING_DAY.from, hour), to: Math.max(WORKING_DAY.to, hour + 1) };
}

/** One real hour of the viewer's date. */
export interface GridColumn extends Period {
  /** The wall-clock hour it starts on, in the viewer's zone. */
  hour: number;
  /** The clocks showed this hour once already that day (they went back). */
  repeated: boolean;
}

/** The viewer's real hours of a date within a window (a day the clocks go back has two 01:00s). */
export function gridColumns(date: string, zone: string, window: HourWindow): GridColumn[] {
  return blocksOfWallPeriod(date, window.from, window.to, zone).map((block) => ({
    startsAt: block.startsAt,
    endsAt: block.endsAt,
    hour: Number(block.localTime.slice(0, 2)),
    repeated: block.repeated,
  }));
}

/** The instants a grid's columns cover (an empty period when it has none). */
export function spanOf(columns: readonly GridColumn[]): Period {
  const first = columns[0];
  const last = columns[columns.length - 1];
  return first && last
    ? { startsAt: first.startsAt, endsAt: last.endsAt }
    : { startsAt: new Date(0), endsAt: new Date(0) };
}

/** The start of the viewer's hour in which an instant falls (the column a block sits in). */
export function columnStartOf(instant: Date, zone: string): Date {
  const minutes = Number(describeRange(instant, instant, zone).startTime.slice(3, 5));
  return new Date(instant.getTime() - (instant.getTime() % 60_000) - minutes * 60_000);
}
