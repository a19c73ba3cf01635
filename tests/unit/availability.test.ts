import { describe, expect, it } from 'vitest';
import { describeHours, isBlockOpen, parseHoursSpec, readWeeklyHoursForm } from '../../src/domain/availability.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';

describe('room hours', () => {
  it('reads "Mon-Fri 09-17; Sat 10-14" specs', () => {
    const weekly = parseHoursSpec('Mon-Fri 09-17; Sat 10-14')!;
    expect(weekly.get(1)).toEqual([9, 10, 11, 12, 13, 14, 15, 16]);
    expect(weekly.get(5)).toHaveLength(8);
    expect(weekly.get(6)).toEqual([10, 11, 12, 13]);
    expect(weekly.has(7)).toBe(false);
    expect(parseHoursSpec('closed')?.size).toBe(0);
    expect(parseHoursSpec('Fri-Mon 09-17')).toBeNull();
    expect(parseHoursSpec('Mon 17-09')).toBeNull();
    expect(parseHoursSpec('Someday 09-17')).toBeNull();
  });

  it('lets a date override open or close a single block', () => {
    const hours = {
      weekly: parseHoursSpec('Mon-Fri 09-17')!,
      overrides: [
        { date: '2027-03-16', hour: 10, isOpen: false },
        { date: '2027-03-20', hour: 11, isOpen: true },
      ],
    };
    const tuesday = hourBlocksOfDate('2027-03-16', 'America/New_York');
    expect(isBlockOpen(hours, tuesday[9]!)).toBe(true);
    expect(isBlockOpen(hours, tuesday[10]!)).toBe(false);
    expect(isBlockOpen(hours, tuesday[17]!)).toBe(false);
    const saturday = hourBlocksOfDate('2027-03-20', 'America/New_York');
    expect(isBlockOpen(hours, saturday[11]!)).toBe(true);
    expect(isBlockOpen(hours, saturday[12]!)).toBe(false);
  });

  it('has no block for an hour the clocks skip, and one-hour blocks around the change', () => {
    const spring = hourBlocksOfDate('2027-03-14', 'America/New_York');
    expect(spring[2]).toBeNull();
    expect(spring[1]!.endsAt).toEqual(spring[3]!.startsAt);
    const autumn = hourBlocksOfDate('2027-11-07', 'America/New_York');
    expect(autumn[1]!.startsAt.toISOString()).toBe('2027-11-07T05:00:00.000Z'); // the first 01:00
    expect(autumn.every((b) => b && b.endsAt.getTime() - b.startsAt.getTime() === 3_600_000)).toBe(true);
  });

  it('reads the weekly hours form and refuses backwards ranges', () => {
    const ok = readWeeklyHoursForm({
      open1: 'on',
      from1: '9',
      to1: '17',
      open6: 'on',
      from6: '10',
      to6: '12',
      from2: '9',
      to2: '17',
    });
    expect(ok).toMatchObject({ ok: true });
    if (ok.ok) {
      expect(ok.weekly.get(1)).toHaveLength(8);
      expect(ok.weekly.has(2)).toBe(false); // not ticked
      expect(ok.weekly.get(6)).toEqual([10, 11]);
    }
    expect(readWeeklyHoursForm({ open3: 'on', from3: '17', to3: '9' })).toEqual({
      ok: false,
      errors: { day3: 'Wednesday: the closing hour must be after the opening hour.' },
    });
    expect(readWeeklyHoursForm({ open3: 'on', from3: 'x', to3: '9' }).ok).toBe(false);
  });

  it('describes hours for people', () => {
    expect(describeHours([9, 10, 11, 14, 15])).toBe('09:00–12:00, 14:00–16:00');
    expect(describeHours([])).toBe('closed');
  });
});
