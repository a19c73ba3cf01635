/** Weekly availability: the generator across clock changes, zones, caps and gaps; and the batch insert. */
import { describe, expect, it } from 'vitest';
import { planRepeating, type RepeatFormInput, type RepeatPlan } from '../../src/domain/repeat-rules.ts';
import { addSlotBatch } from '../../src/domain/slot-batches.ts';
import { addSlots, listSlotsForSchedule } from '../../src/domain/slots.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { makeSchedule } from '../helpers/fixtures.ts';

const NOW = new Date('2027-01-04T08:00:00Z'); // a Monday

function form(overrides: Partial<RepeatFormInput>): RepeatFormInput {
  return {
    days: ['1', '3', '5'],
    from1: '09:00',
    to1: '12:00',
    from2: '',
    to2: '',
    from3: '',
    to3: '',
    length: '30',
    gap: '0',
    startDate: '2027-01-11',
    ends: 'weeks',
    weeks: '3',
    until: '',
    notes: '',
    intent: '',
    ...overrides,
  };
}

function plan(overrides: Partial<RepeatFormInput>, zone = 'UTC', now = NOW): RepeatPlan {
  const result = planRepeating(form(overrides), zone, now);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

function refused(overrides: Partial<RepeatFormInput>, zone = 'UTC', now = NOW) {
  const result = planRepeating(form(overrides), zone, now);
  if (result.ok) throw new Error('planned, expected a refusal');
  return result.errors;
}

const iso = (d: Date) => d.toISOString();

describe('planRepeating', () => {
  it('makes three weeks of Mon/Wed/Fri 09–12 in 30-minute slots in one go', () => {
    const p = plan({});
    expect(p.slots).toHaveLength(3 * 3 * 6);
    expect(p.skipped).toEqual([]);
    expect(iso(p.slots[0]!.startsAt)).toBe('2027-01-11T09:00:00.000Z');
    expect(iso(p.slots[5]!.endsAt)).toBe('2027-01-11T12:00:00.000Z');
    expect(iso(p.slots.at(-1)!.startsAt)).toBe('2027-01-29T11:30:00.000Z');
    const weekdays = new Set(p.slots.map((s) => s.startsAt.getUTCDay()));
    expect([...weekdays].sort()).toEqual([1, 3, 5]);
    expect(p.from).toBe('2027-01-11');
    expect(p.to).toBe('2027-01-31');
  });

  it('fills several ranges, in order, with a gap between slots and none past a range', () => {
    const p = plan({ days: ['2'], weeks: '1', from1: '14:00', to1: '16:00', from2: '09:00', to2: '12:00', gap: '15' });
    expect(p.slots.map((s) => iso(s.startsAt).slice(11, 16))).toEqual([
      '09:00',
      '09:45',
      '10:30',
      '11:15',
      '14:00',
      '14:45',
      '15:30',
    ]);
    expect(p.slots.every((s) => s.endsAt.getTime() - s.startsAt.getTime() === 30 * 60_000)).toBe(true);
  });

  it('skips and lists spring-forward times in America/New_York, never shifting them', () => {
    // 14 March 2027: clocks jump from 02:00 to 03:00.
    const p = plan(
      { days: ['7'], startDate: '2027-03-14', weeks: '1', from1: '01:00', to1: '04:00' },
      'America/New_York',
    );
    expect(p.slots.map((s) => iso(s.startsAt))).toEqual([
      '2027-03-14T06:00:00.000Z', // 01:00 EST
      '2027-03-14T07:00:00.000Z', // 03:00 EDT
      '2027-03-14T07:30:00.000Z', // 03:30 EDT
    ]);
    expect(p.skipped).toEqual([
      { date: '2027-03-14', time: '01:30', end: '02:00', reason: 'gap', at: '02:00' },
      { date: '2027-03-14', time: '02:00', end: '02:30', reason: 'gap', at: '02:00' },
      { date: '2027-03-14', time: '02:30', end: '03:00', reason: 'gap', at: '02:30' },
    ]);
  });

  it('skips and lists autumn times that happen twice', () => {
    // 7 November 2027: clocks go back from 02:00 to 01:00.
    const p = plan(
      { days: ['7'], startDate: '2027-11-07', weeks: '1', from1: '00:00', to1: '03:00', length: '30' },
      'America/New_York',
    );
    expect(p.skipped.map((s) => [s.time, s.reason])).toEqual([
      ['00:30', 'overlap'],
      ['01:00', 'overlap'],
      ['01:30', 'overlap'],
    ]);
    expect(p.slots.map((s) => iso(s.startsAt))).toEqual([
      '2027-11-07T04:00:00.000Z',
      '2027-11-07T07:00:00.000Z',
      '2027-11-07T07:30:00.000Z',
    ]);
  });

  it('skips a slot whose ends both exist but that spans the clock change', () => {
    const p = plan(
      { days: ['7'], startDate: '2027-03-14', weeks: '1', from1: '01:30', to1: '03:00', length: '90' },
      'America/New_York',
    );
    expect(p.slots).toEqual([]);
    expect(p.skipped).toEqual([{ date: '2027-03-14', time: '01:30', end: '03:00', reason: 'spans-change', lasts: 30 }]);
  });

  it('knows the southern hemisphere and half-hour clock changes (Sydney, Lord Howe)', () => {
    // 3 October 2027: Sydney jumps 02:00 → 03:00; Lord Howe 02:00 → 02:30.
    const sydney = plan(
      { days: ['7'], startDate: '2027-10-03', weeks: '1', from1: '01:00', to1: '04:00', length: '60' },
      'Australia/Sydney',
    );
    expect(sydney.skipped.map((s) => s.time)).toEqual(['01:00', '02:00']);
    expect(sydney.slots.map((s) => iso(s.startsAt))).toEqual(['2027-10-02T16:00:00.000Z']); // 03:00 AEDT
    const lordHowe = plan(
      { days: ['7'], startDate: '2027-10-03', weeks: '1', from1: '01:30', to1: '03:00', length: '30' },
      'Australia/Lord_Howe',
    );
    expect(lordHowe.skipped.map((s) => [s.time, s.reason])).toEqual([
      ['01:30', 'gap'],
      ['02:00', 'gap'],
    ]);
    expect(lordHowe.slots.map((s) => iso(s.startsAt))).toEqual(['2027-10-02T15:30:00.000Z']); // 02:30 +11
  });

  it('converts in 30- and 45-minute zones', () => {
    const kolkata = plan({ days: ['1'], weeks: '1', from1: '09:00', to1: '10:00', length: '60' }, 'Asia/Kolkata');
    expect(iso(kolkata.slots[0]!.startsAt)).toBe('2027-01-11T03:30:00.000Z');
    const kathmandu = plan({ days: ['1'], weeks: '1', from1: '09:00', to1: '10:00', length: '60' }, 'Asia/Kathmandu');
    expect(iso(kathmandu.slots[0]!.startsAt)).toBe('2027-01-11T03:15:00.000Z');
  });

  it('lists times already started today and refuses a span wholly past', () => {
    const now = new Date('2027-01-11T10:10:00Z');
    const p = plan({ days: ['1'], weeks: '1' }, 'UTC', now);
    expect(p.skipped.map((s) => [s.time, s.reason])).toEqual([
      ['09:00', 'past'],
      ['09:30', 'past'],
      ['10:00', 'past'],
    ]);
    expect(p.slots.map((s) => iso(s.startsAt).slice(11, 16))).toEqual(['10:30', '11:00', '11:30']);
    expect(refused({ startDate: '2026-12-01', weeks: '1' }, 'UTC', now).startDate).toMatch(/passed/);
  });

  it('caps the span at twelve weeks, by weeks or by an end date', () => {
    expect(plan({ weeks: '12' }).to).toBe('2027-04-04');
    expect(refused({ weeks: '13' }).weeks).toMatch(/1 to 12/);
    expect(plan({ ends: 'until', until: '2027-04-04' }).slots.length).toBe(12 * 3 * 6);
    expect(refused({ ends: 'until', until: '2027-04-05' }).until).toMatch(/At most 12 weeks: end on 2027-04-04/);
    expect(refused({ ends: 'until', until: '2027-01-10' }).until).toMatch(/on or after the start/);
  });

  it('refuses what cannot be read, every field at once', () => {
    const errors = refused({
      days: [],
      from1: '25:00',
      length: '7',
      gap: 'x',
      startDate: '2027-02-30',
    });
    expect(Object.keys(errors).sort()).toEqual(['days', 'gap', 'length', 'range1', 'startDate']);
    expect(refused({ days: ['8'] }).days).toMatch(/weekdays/);
    expect(refused({ from2: '11:00', to2: '13:00' }).range1).toMatch(/09:00–12:00 and 11:00–13:00 overlap/);
    expect(refused({ from1: '09:00', to1: '09:20' }).range1).toMatch(/shorter than one 30-minute slot/);
    expect(refused({ from1: '12:00', to1: '09:00' }).range1).toMatch(/end must be after the start/);
    expect(refused({ from1: '', to1: '' }).range1).toMatch(/at least one time range/);
  });

  it('stays bounded at its largest: twelve weeks, every day, 15-minute slots all day', () => {
    const p = plan({
      days: ['1', '2', '3', '4', '5', '6', '7'],
      weeks: '12',
      from1: '00:00',
      to1: '23:45',
      length: '15',
    });
    expect(p.slots).toHaveLength(84 * 95);
  });
});

describe.each(databaseKinds)('addSlotBatch on %s', (kind) => {
  const database = useTestDatabase(kind);

  it('makes what overlaps nothing, lists what is taken, and a preview keeps nothing', async () => {
    const db = database.current.db;
    const { schedule } = await makeSchedule(db);
    const planned = plan({ days: ['1'], weeks: '1' }).slots; // 6 slots, 09:00–12:00 on 11 January
    // A 45-minute slot already at 10:15–11:00 takes 10:00 and 10:30 out.
    await addSlots(db, schedule.id, [
      { startsAt: new Date('2027-01-11T10:15:00Z'), endsAt: new Date('2027-01-11T11:00:00Z'), notes: '' },
    ]);
    const preview = await addSlotBatch(db, schedule.id, planned, { maxSlots: 100, preview: true });
    expect(preview.made.map((s) => iso(s.startsAt).slice(11, 16))).toEqual(['09:00', '09:30', '11:00', '11:30']);
    expect(preview.taken.map((t) => iso(t.planned.startsAt).slice(11, 16))).toEqual(['10:00', '10:30']);
    expect(preview.taken[0]!.existing.startsAt.toISOString()).toBe('2027-01-11T10:15:00.000Z');
    expect(preview.noRoom).toEqual([]);
    expect(await listSlotsForSchedule(db, schedule.id)).toHaveLength(1);

    const created = await addSlotBatch(db, schedule.id, planned, { maxSlots: 100, preview: false });
    expect(created.made.map((s) => iso(s.startsAt))).toEqual(preview.made.map((s) => iso(s.startsAt)));
    expect(await listSlotsForSchedule(db, schedule.id)).toHaveLength(5);

    const again = await addSlotBatch(db, schedule.id, planned, { maxSlots: 100, preview: false });
    expect(again.made).toEqual([]);
    expect(again.taken).toHaveLength(6);
  });

  it('fills up to the cap, earliest first, and says how many did not fit', async () => {
    const db = database.current.db;
    const { schedule } = await makeSchedule(db);
    const planned = plan({ days: ['1'], weeks: '2' }).slots; // 12
    const outcome = await addSlotBatch(db, schedule.id, planned, { maxSlots: 8, preview: false });
    expect(outcome.made).toHaveLength(8);
    expect(outcome.made.at(-1)!.startsAt.toISOString()).toBe('2027-01-18T09:30:00.000Z');
    expect(outcome.noRoom).toHaveLength(4);
    expect(outcome.limit).toBe(8);
  });

  it('never overlaps or passes the cap when creates race each other', async () => {
    const db = database.current.db;
    const { schedule } = await makeSchedule(db);
    const a = plan({ days: ['1', '3'], weeks: '4' }).slots; // 48, 30-minute slots from 09:00
    const b = plan({ days: ['1', '3'], weeks: '4', from1: '09:15', to1: '12:15' }).slots; // 48, each overlapping two of a's
    const outcomes = await Promise.all([
      addSlotBatch(db, schedule.id, a, { maxSlots: 70, preview: false }),
      addSlotBatch(db, schedule.id, b, { maxSlots: 70, preview: false }),
      addSlotBatch(db, schedule.id, a, { maxSlots: 70, preview: false }),
    ]);
    const all = await listSlotsForSchedule(db, schedule.id);
    expect(all.length).toBeLessThanOrEqual(70);
    expect(outcomes.reduce((n, o) => n + o.made.length, 0)).toBe(all.length);
    for (let i = 1; i < all.length; i++)
      expect(all[i]!.startsAt.getTime()).toBeGreaterThanOrEqual(all[i - 1]!.endsAt.getTime());
  });
});
