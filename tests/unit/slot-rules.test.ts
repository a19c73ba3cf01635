import { describe, expect, it } from 'vitest';
import { planSlots, planSlotsFromForm } from '../../src/domain/slot-rules.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const NY = 'America/New_York';

function form(overrides: Record<string, string> = {}) {
  return { date: '2027-03-16', start: '09:00', end: '12:00', split: '0', notes: '', ...overrides };
}

describe('planning slots from the add-slot form', () => {
  it('makes one slot for the whole time without a split', () => {
    const plan = planSlotsFromForm(form(), NY, NOW);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.slots).toHaveLength(1);
    expect(plan.slots[0]!.startsAt.toISOString()).toBe('2027-03-16T13:00:00.000Z');
    expect(plan.slots[0]!.endsAt.toISOString()).toBe('2027-03-16T16:00:00.000Z');
  });

  it('splits 09:00–12:00 into six 30-minute slots, back to back', () => {
    const plan = planSlotsFromForm(form({ split: '30', notes: 'Room 4' }), NY, NOW);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.slots).toHaveLength(6);
    for (let i = 1; i < 6; i++) expect(plan.slots[i]!.startsAt).toEqual(plan.slots[i - 1]!.endsAt);
    expect(plan.slots.every((s) => s.endsAt.getTime() - s.startsAt.getTime() === 30 * 60_000)).toBe(true);
    expect(plan.slots.every((s) => s.notes === 'Room 4')).toBe(true);
  });

  it('splits into 15, 45 and 60 minutes', () => {
    expect(planSlotsFromForm(form({ end: '10:00', split: '15' }), NY, NOW)).toMatchObject({
      ok: true,
      slots: { length: 4 },
    });
    expect(planSlotsFromForm(form({ end: '11:15', split: '45' }), NY, NOW)).toMatchObject({
      ok: true,
      slots: { length: 3 },
    });
    expect(planSlotsFromForm(form({ split: '60' }), NY, NOW)).toMatchObject({ ok: true, slots: { length: 3 } });
  });

  it('refuses a split that does not divide the time, suggesting end times', () => {
    const plan = planSlotsFromForm(form({ end: '10:45', split: '30' }), NY, NOW);
    expect(plan).toEqual({
      ok: false,
      errors: { split: expect.stringContaining('the last would be 15 minutes. End at 10:30 or 11:00') },
    });
  });

  it('refuses an end that is not after the start (no overnight slots)', () => {
    expect(planSlotsFromForm(form({ start: '10:00', end: '10:00' }), NY, NOW)).toMatchObject({
      ok: false,
      errors: { end: expect.stringContaining('after the start') },
    });
    expect(planSlotsFromForm(form({ start: '22:00', end: '01:00' }), NY, NOW)).toMatchObject({
      ok: false,
      errors: { end: expect.any(String) },
    });
  });

  it('refuses a start in the past', () => {
    const plan = planSlotsFromForm(form({ date: '2026-11-21', start: '06:00', end: '08:00' }), NY, NOW);
    expect(plan).toMatchObject({ ok: false, errors: { start: expect.stringContaining('has already passed') } });
  });

  it('refuses times the zone skips or repeats, naming the field', () => {
    const gap = planSlotsFromForm(form({ date: '2027-03-14', start: '02:15', end: '04:00' }), NY, NOW);
    expect(gap).toEqual({
      ok: false,
      errors: { start: '02:15 does not exist on 14 March in America/New_York: clocks jump from 02:00 to 03:00' },
    });
    const overlapEnd = planSlotsFromForm(form({ date: '2027-11-07', start: '00:30', end: '01:30' }), NY, NOW);
    expect(overlapEnd).toMatchObject({ ok: false, errors: { end: expect.stringContaining('happens twice') } });
    // A split boundary inside the gap is refused too: the slots would not be what the host typed.
    const inner = planSlotsFromForm(form({ date: '2027-03-14', start: '01:00', end: '04:00', split: '60' }), NY, NOW);
    expect(inner).toMatchObject({ ok: false, errors: { split: expect.stringContaining('02:00 does not exist') } });
  });

  it('keeps real durations across a DST change when no boundary falls in it', () => {
    const plan = planSlotsFromForm(form({ date: '2027-03-14', start: '01:00', end: '04:00' }), NY, NOW);
    expect(plan.ok).toBe(true);
    if (plan.ok) expect(plan.slots[0]!.endsAt.getTime() - plan.slots[0]!.startsAt.getTime()).toBe(2 * 3600_000);
  });

  it('refuses malformed dates and times, and unknown splits', () => {
    expect(planSlotsFromForm(form({ date: '2027-02-30' }), NY, NOW)).toMatchObject({
      ok: false,
      errors: { date: expect.any(String) },
    });
    expect(planSlotsFromForm(form({ date: '' }), NY, NOW)).toMatchObject({
      ok: false,
      errors: { date: 'Enter a date.' },
    });
    expect(planSlotsFromForm(form({ start: '9am' }), NY, NOW)).toMatchObject({
      ok: false,
      errors: { start: expect.any(String) },
    });
    expect(planSlotsFromForm(form({ end: '25:00' }), NY, NOW)).toMatchObject({
      ok: false,
      errors: { end: expect.any(String) },
    });
    expect(planSlotsFromForm(form({ split: '20' }), NY, NOW)).toMatchObject({
      ok: false,
      errors: { split: expect.any(String) },
    });
    expect(planSlotsFromForm({ date: ['x'], start: 1 }, NY, NOW)).toMatchObject({ ok: false });
  });

  it('refuses notes over 1,000 characters, counting characters not bytes, and reports the times too', () => {
    expect(planSlotsFromForm(form({ notes: 'é'.repeat(1000) }), NY, NOW).ok).toBe(true);
    const long = planSlotsFromForm(form({ notes: 'x'.repeat(1001), end: '' }), NY, NOW);
    expect(long).toMatchObject({
      ok: false,
      errors: { notes: expect.stringContaining('at most 1000'), end: 'Enter an end time.' },
    });
  });

  it('is pure: the same input gives the same plan', () => {
    const input = { date: '2027-03-16', start: '09:00', end: '10:00', split: '30', notes: '' };
    expect(planSlots(input, NY, NOW)).toEqual(planSlots(input, NY, NOW));
  });
});
