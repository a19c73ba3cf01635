/**
 * The grid's columns: the reader's real hours of a date within a window of wall-clock hours, on
 * ordinary and daylight-saving days, and the window read from a query, clamped and never thrown.
 */
import { describe, expect, it } from 'vitest';
import {
  columnStartOf,
  gridColumns,
  parseHourWindow,
  WORKING_DAY,
  windowIncluding,
} from '../../src/domain/grid-hours.ts';

const hours = (date: string, zone: string, from = 0, to = 24) =>
  gridColumns(date, zone, { from, to }).map((c) => `${c.hour}${c.repeated ? '′' : ''}`);

describe('grid columns', () => {
  it('are the working day’s thirteen hours unless asked otherwise', () => {
    const columns = gridColumns('2027-03-17', 'America/New_York', WORKING_DAY);
    expect(columns.map((c) => c.hour)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(columns[0]!.startsAt.toISOString()).toBe('2027-03-17T11:00:00.000Z');
    for (const column of columns) expect(column.endsAt.getTime() - column.startsAt.getTime()).toBe(3_600_000);
  });

  it('follow the reader’s clocks on daylight-saving days: an hour fewer in spring, a second 01:00 in autumn', () => {
    expect(hours('2027-03-14', 'America/New_York')).toHaveLength(23);
    expect(hours('2027-03-14', 'America/New_York').slice(0, 3)).toEqual(['0', '1', '3']);
    const autumn = hours('2027-11-07', 'America/New_York');
    expect(autumn).toHaveLength(25);
    expect(autumn.slice(0, 4)).toEqual(['0', '1', '1′', '2']);
  });

  it('put a block in the column of the reader’s hour in which it starts', () => {
    // 18:00 in Kolkata is 08:30 in New York and 06:30 in Denver.
    const block = new Date('2027-03-17T12:30:00Z');
    expect(columnStartOf(block, 'America/New_York').toISOString()).toBe('2027-03-17T12:00:00.000Z');
    expect(columnStartOf(block, 'America/Denver').toISOString()).toBe('2027-03-17T12:00:00.000Z');
    expect(columnStartOf(block, 'Asia/Kolkata').toISOString()).toBe('2027-03-17T12:30:00.000Z');
    expect(columnStartOf(block, 'Asia/Kathmandu').toISOString()).toBe('2027-03-17T12:15:00.000Z');
  });
});

describe('the hour window from a query', () => {
  it('clamps what it can read and falls back to the working day for the rest', () => {
    expect(parseHourWindow(undefined, undefined)).toEqual(WORKING_DAY);
    expect(parseHourWindow('0', '20')).toEqual({ from: 0, to: 20 });
    expect(parseHourWindow('7', '24')).toEqual({ from: 7, to: 24 });
    expect(parseHourWindow('23', '5')).toEqual({ from: 23, to: 24 });
    expect(parseHourWindow('99', '99')).toEqual({ from: 23, to: 24 });
    expect(parseHourWindow('-3', 'x')).toEqual({ from: 7, to: 20 });
    expect(parseHourWindow('abc', '1e3')).toEqual(WORKING_DAY);
    expect(parseHourWindow('5', undefined)).toEqual({ from: 5, to: 20 });
  });

  it('widens the working day to hold a chosen hour', () => {
    expect(windowIncluding(10)).toEqual(WORKING_DAY);
    expect(windowIncluding(22)).toEqual({ from: 7, to: 23 });
    expect(windowIncluding(3)).toEqual({ from: 3, to: 20 });
  });
});
