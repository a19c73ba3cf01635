/** The booking page's view: month grids, day counts in a zone, which month and day a request opens on. */
import { describe, expect, it } from 'vitest';
import { datesOfMonth, readBookingView, readDayCounts } from '../../src/domain/slot-calendar.ts';
import { claimSlot } from '../../src/domain/bookings.ts';
import { addMonths, describeMonth, monthWeeks, parseMonth, startOfDate, weekdayNames } from '../../src/domain/time.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { makeSchedule, makeSlots, visitorHash } from '../helpers/fixtures.ts';
import { addSlots } from '../../src/domain/slots.ts';

describe('month grids', () => {
  it('lays a month out Monday first, with the neighbours that fill its first and last weeks', () => {
    const weeks = monthWeeks('2027-03'); // 1 March 2027 is a Monday
    expect(weeks).toHaveLength(5);
    expect(weeks[0]).toEqual([
      '2027-03-01',
      '2027-03-02',
      '2027-03-03',
      '2027-03-04',
      '2027-03-05',
      '2027-03-06',
      '2027-03-07',
    ]);
    expect(weeks[4]!.at(-1)).toBe('2027-04-04');
    const february = monthWeeks('2026-02'); // starts on a Sunday
    expect(february[0]![0]).toBe('2026-01-26');
    expect(february[0]![6]).toBe('2026-02-01');
    expect(datesOfMonth('2028-02')).toHaveLength(29);
    expect(monthWeeks('2027-11').every((w) => w.length === 7)).toBe(true);
  });

  it('reads months, moves by months and names them per locale', () => {
    expect(parseMonth('2027-03')).toBe('2027-03');
    for (const bad of ['2027-13', '2027-3', '27-03', '2027-03-01', '', '0001-01', null])
      expect(parseMonth(bad)).toBeNull();
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2027-12', 1)).toBe('2028-01');
    expect(describeMonth('2027-03')).toBe('March 2027');
    expect(describeMonth('2027-03', 'de')).toBe('März 2027');
    expect(describeMonth('2027-03', 'ja')).toBe('2027年3月');
    expect(weekdayNames()[0]).toEqual({ short: 'Mon', long: 'Monday' });
    expect(weekdayNames('de')[6]!.long).toBe('Sonntag');
    expect(weekdayNames('en-US')[0]!.short).toBe('Mon');
  });
});

describe.each(databaseKinds)('readBookingView on %s', (kind) => {
  const database = useTestDatabase(kind);
  const now = new Date('2027-03-01T12:00:00Z');

  it('opens on the day of the next open time, a month on its first open day, a day as asked', async () => {
    const db = database.current.db;
    const { schedule } = await makeSchedule(db);
    // 9 March 15:00–16:30 UTC (three slots) and 2 April 15:00 UTC; the first is booked.
    const march = await makeSlots(db, schedule.id, new Date('2027-03-09T15:00:00Z'), 3);
    await makeSlots(db, schedule.id, new Date('2027-04-02T15:00:00Z'), 1);
    await claimSlot(db, {
      scheduleId: schedule.id,
      slotId: march[0]!.id,
      visitorHash: visitorHash(),
      booking: { name: 'Ann', email: '' },
      now,
    });

    const first = await readBookingView(db, schedule.id, {}, 'Asia/Tokyo', now);
    expect(first.month).toBe('2027-03');
    expect(first.day).toBe('2027-03-10'); // 15:30 UTC is past midnight in Tokyo
    expect(first.daySlots).toHaveLength(3);
    expect(first.counts.get('2027-03-10')).toEqual({ open: 2, total: 3 });
    expect(first.next?.startsAt.toISOString()).toBe('2027-03-09T15:30:00.000Z');
    expect(first.today).toBe('2027-03-01');

    const april = await readBookingView(db, schedule.id, { month: '2027-04' }, 'UTC', now);
    expect(april.day).toBe('2027-04-02');
    expect(april.daySlots.map((s) => s.startsAt.toISOString())).toEqual(['2027-04-02T15:00:00.000Z']);

    const may = await readBookingView(db, schedule.id, { month: '2027-05' }, 'UTC', now);
    expect(may.day).toBeNull();
    expect(may.daySlots).toEqual([]);

    const asked = await readBookingView(db, schedule.id, { day: '2027-03-20', month: '2027-07' }, 'UTC', now);
    expect([asked.month, asked.day, asked.daySlots.length]).toEqual(['2027-03', '2027-03-20', 0]);

    // Nonsense in the query is ignored, not an error.
    const junk = await readBookingView(db, schedule.id, { day: '2027-02-30', month: 'x' }, 'UTC', now);
    expect(junk.day).toBe('2027-03-09');
  });

  it('counts slots by the date they start on in the zone, open ones apart, across a clock change', async () => {
    const db = database.current.db;
    const { schedule } = await makeSchedule(db);
    const at = [
      '2027-03-09T03:30:00Z', // 8 March in New York (EST, -5)
      '2027-03-09T14:00:00Z',
      '2027-03-09T15:00:00Z', // booked below
      '2027-03-14T06:30:00Z', // 14 March 01:30 EST, the day clocks jump
      '2027-03-15T03:58:00Z', // 14 March 23:58 EDT
      '2027-03-15T04:00:00Z', // 15 March 00:00 EDT
    ];
    const added = await addSlots(
      db,
      schedule.id,
      at.map((t) => ({ startsAt: new Date(t), endsAt: new Date(Date.parse(t) + 60_000), notes: '' })),
    );
    if (!added.ok) throw new Error('fixture slots overlap');
    const booked = added.slots.find((s) => s.startsAt.toISOString() === '2027-03-09T15:00:00.000Z')!;
    await claimSlot(db, {
      scheduleId: schedule.id,
      slotId: booked.id,
      visitorHash: visitorHash(),
      booking: { name: 'Ann', email: '' },
      now,
    });
    const counts = await readDayCounts(db, schedule.id, datesOfMonth('2027-03'), 'America/New_York', now);
    expect(counts.get('2027-03-08')).toEqual({ open: 1, total: 1 });
    expect(counts.get('2027-03-09')).toEqual({ open: 1, total: 2 });
    expect(counts.get('2027-03-14')).toEqual({ open: 2, total: 2 });
    expect(counts.get('2027-03-15')).toEqual({ open: 1, total: 1 });
    expect(counts.size).toBe(4);
    // Started slots are not open any more.
    const later = await readDayCounts(
      db,
      schedule.id,
      datesOfMonth('2027-03'),
      'America/New_York',
      new Date('2027-03-09T14:30:00Z'),
    );
    expect(later.get('2027-03-09')).toEqual({ open: 0, total: 2 });
    expect(startOfDate('2027-03-14', 'America/New_York').toISOString()).toBe('2027-03-14T05:00:00.000Z');
  });

  it('opens on today when nothing is open', async () => {
    const db = database.current.db;
    const { schedule } = await makeSchedule(db);
    const view = await readBookingView(db, schedule.id, {}, 'Pacific/Kiritimati', now);
    expect(view.day).toBe('2027-03-02'); // UTC+14
    expect(view.next).toBeNull();
    expect(view.counts.size).toBe(0);
  });
});
