/**
 * A room's blocks on daylight-saving days: wall-clock hours in the room's zone, each open period
 * from its opening to its closing instant, cut into real hours.
 */
import { describe, expect, it } from 'vitest';
import {
  isOpenBlock,
  openHoursOfDate,
  parseHoursSpec,
  type RoomHours,
  roomBlocksBetween,
  roomBlocksOfDate,
  runsOfHours,
} from '../../src/domain/availability.ts';
import { blocksOfWallPeriod } from '../../src/domain/time.ts';

const everyDay = (spec: string): RoomHours => ({ weekly: parseHoursSpec(`Mon-Sun ${spec}`)!, overrides: [] });
const iso = (d: Date) => d.toISOString();

describe('room blocks', () => {
  it('keeps 9–17 local on both sides of a DST change (New York)', () => {
    const hours = everyDay('09-17');
    const winter = roomBlocksOfDate(hours, '2027-03-12', 'America/New_York');
    const summer = roomBlocksOfDate(hours, '2027-03-16', 'America/New_York');
    expect(winter.map((b) => b.localLabel)).toEqual(summer.map((b) => b.localLabel));
    expect(winter).toHaveLength(8);
    expect(iso(winter[0]!.startsAt)).toBe('2027-03-12T14:00:00.000Z'); // EST
    expect(iso(summer[0]!.startsAt)).toBe('2027-03-16T13:00:00.000Z'); // EDT
    expect(summer.every((b) => b.endsAt.getTime() - b.startsAt.getTime() === 3_600_000)).toBe(true);
  });

  it('gives a run over the spring-forward change one block fewer', () => {
    const blocks = roomBlocksOfDate(everyDay('00-05'), '2027-03-14', 'America/New_York');
    expect(blocks.map((b) => b.localLabel)).toEqual(['00:00', '01:00', '03:00', '04:00']);
    expect(iso(blocks[0]!.startsAt)).toBe('2027-03-14T05:00:00.000Z');
    expect(iso(blocks[3]!.endsAt)).toBe('2027-03-14T09:00:00.000Z');
    expect(blocks.some((b) => b.repeated)).toBe(false);
    // A run opening inside the skipped hour opens when the clocks land.
    const late = roomBlocksOfDate(everyDay('02-05'), '2027-03-14', 'America/New_York');
    expect(late.map((b) => b.localLabel)).toEqual(['03:00', '04:00']);
    // Opened for the skipped hour alone: nothing to book.
    expect(roomBlocksOfDate(everyDay('02-03'), '2027-03-14', 'America/New_York')).toEqual([]);
  });

  it('gives a run over the fall-back change one block more, the repeated hour labelled', () => {
    const blocks = roomBlocksOfDate(everyDay('00-05'), '2027-11-07', 'America/New_York');
    expect(blocks.map((b) => b.localLabel)).toEqual([
      '00:00',
      '01:00',
      '01:00, second time: clocks went back',
      '02:00',
      '03:00',
      '04:00',
    ]);
    expect(blocks.map((b) => b.repeated)).toEqual([false, false, true, false, false, false]);
    expect(iso(blocks[1]!.startsAt)).toBe('2027-11-07T05:00:00.000Z'); // 01:00 EDT
    expect(iso(blocks[2]!.startsAt)).toBe('2027-11-07T06:00:00.000Z'); // 01:00 EST
    // Open for hour 1 alone: that period lasts two real hours.
    expect(roomBlocksOfDate(everyDay('01-02'), '2027-11-07', 'America/New_York')).toHaveLength(2);
  });

  it('keeps separate runs separate (09–12 and 14–17)', () => {
    const hours: RoomHours = {
      weekly: parseHoursSpec('Tue 09-12; Tue 14-17')!,
      overrides: [{ date: '2027-03-16', hour: 12, isOpen: false }],
    };
    expect(runsOfHours(openHoursOfDate(hours, '2027-03-16'))).toEqual([
      [9, 12],
      [14, 17],
    ]);
    const blocks = roomBlocksOfDate(hours, '2027-03-16', 'Europe/London');
    expect(blocks.map((b) => b.localLabel)).toEqual(['09:00', '10:00', '11:00', '14:00', '15:00', '16:00']);
    // Overrides opening hours 12 and 13 join the runs into one.
    const joined = {
      ...hours,
      overrides: [12, 13].map((hour) => ({ date: '2027-03-16', hour, isOpen: true })),
    };
    expect(runsOfHours(openHoursOfDate(joined, '2027-03-16'))).toEqual([[9, 17]]);
  });

  it('puts a Kolkata room’s blocks at :30 UTC, and finds them from a New York day', () => {
    const hours = everyDay('09-17');
    const blocks = roomBlocksOfDate(hours, '2027-03-16', 'Asia/Kolkata');
    expect(iso(blocks[0]!.startsAt)).toBe('2027-03-16T03:30:00.000Z');
    expect(blocks[0]!.localLabel).toBe('09:00');
    // A New York day (04:00Z to 04:00Z next day, EDT) sees the Kolkata blocks from 10:00 local on.
    const seen = roomBlocksBetween(
      hours,
      'Asia/Kolkata',
      new Date('2027-03-16T04:00:00Z'),
      new Date('2027-03-17T04:00:00Z'),
    );
    expect(seen.map((b) => iso(b.startsAt))).toEqual([
      '2027-03-16T04:30:00.000Z',
      '2027-03-16T05:30:00.000Z',
      '2027-03-16T06:30:00.000Z',
      '2027-03-16T07:30:00.000Z',
      '2027-03-16T08:30:00.000Z',
      '2027-03-16T09:30:00.000Z',
      '2027-03-16T10:30:00.000Z',
      // The next Kolkata morning's 09:00 is still that New York evening.
      '2027-03-17T03:30:00.000Z',
    ]);
    expect(isOpenBlock(hours, 'Asia/Kolkata', blocks[0]!)).toBe(true);
    // The New York hour starting at 03:00Z is not one of the room's blocks.
    const onTheHour = { startsAt: new Date('2027-03-16T04:00:00Z'), endsAt: new Date('2027-03-16T05:00:00Z') };
    expect(isOpenBlock(hours, 'Asia/Kolkata', onTheHour)).toBe(false);
  });

  it('follows the southern hemisphere’s changes (Sydney: back in April, forward in October)', () => {
    const april = roomBlocksOfDate(everyDay('01-04'), '2027-04-04', 'Australia/Sydney');
    expect(april.map((b) => b.localLabel)).toEqual(['01:00', '02:00', '02:00, second time: clocks went back', '03:00']);
    const october = roomBlocksOfDate(everyDay('01-04'), '2027-10-03', 'Australia/Sydney');
    expect(october.map((b) => b.localLabel)).toEqual(['01:00', '03:00']);
    // 9–17 is 9–17 either side.
    expect(roomBlocksOfDate(everyDay('09-17'), '2027-04-04', 'Australia/Sydney')).toHaveLength(8);
    expect(roomBlocksOfDate(everyDay('09-17'), '2027-10-03', 'Australia/Sydney')).toHaveLength(8);
  });

  it('drops a part-hour left by a 30-minute change (Lord Howe Island)', () => {
    // 2027-04-04 02:00 LHDT (+11) → 01:30 LHST (+10:30): the 01–03 period lasts 2½ real hours.
    const blocks = blocksOfWallPeriod('2027-04-04', 1, 3, 'Australia/Lord_Howe');
    expect(blocks.map((b) => b.localLabel)).toEqual(['01:00', '01:30, second time: clocks went back']);
  });

  it('is open only for exactly one of the room’s blocks', () => {
    const hours = everyDay('09-17');
    const [first] = roomBlocksOfDate(hours, '2027-03-16', 'America/New_York');
    expect(isOpenBlock(hours, 'America/New_York', first!)).toBe(true);
    expect(isOpenBlock(hours, 'America/New_York', { startsAt: first!.startsAt, endsAt: first!.startsAt })).toBe(false);
    const eight = { startsAt: new Date(first!.startsAt.getTime() - 3_600_000), endsAt: first!.startsAt };
    expect(isOpenBlock(hours, 'America/New_York', eight)).toBe(false);
  });
});
