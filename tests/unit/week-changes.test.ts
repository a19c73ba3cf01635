/** Which parts of a host's week-by-week list a change re-sends, under a filter; and the weeks themselves. */
import { describe, expect, it } from 'vitest';
import { isShownBy, type SlotFilter } from '../../src/domain/slot-filters.ts';
import type { Slot } from '../../src/domain/slots.ts';
import { planWeekChanges, shownAfter, type WeekChange } from '../../src/realtime/week-changes.ts';
import { dayNotes, groupByWeek, weekKeyOf, weeksOf, weekSpan } from '../../views/components/weeks.ts';

const ZONE = 'America/New_York';
const NOW = new Date('2027-03-01T12:00:00Z');
const slot = (iso: string, booked = false, notes = ''): Slot => ({
  id: `id-${iso}`,
  scheduleId: 's',
  startsAt: new Date(iso),
  endsAt: new Date(Date.parse(iso) + 30 * 60_000),
  notes,
  booking: booked ? { id: 'b', name: 'Ann', email: null, bookedAt: NOW, visitorHash: null, sequence: 1 } : null,
});
const t = (s: Slot) => s.startsAt.getTime();

/** The plan when the pages showed `before` (under `filter`) and the slots are now `now`; `changed` slots touched. */
function plan(before: Slot[], now: Slot[], changed: Slot[], filter: SlotFilter = 'upcoming', rows: Slot[] = []) {
  const shown = (s: Slot) => isShownBy(filter, s, NOW);
  const { weekKeys, spans } = weeksOf(changed.map(t), ZONE);
  const beforeShown = before
    .filter(shown)
    .map(t)
    .sort((a, b) => a - b);
  const result = planWeekChanges({
    before: beforeShown,
    after: shownAfter(beforeShown, spans, now, shown),
    weekSlots: now.filter((s) => spans.some((r) => t(s) >= r.from && t(s) < r.to)),
    weeks: weekKeys,
    hinted: rows.map(t),
    zone: ZONE,
    locale: 'en-GB',
    now: NOW,
    shown,
  });
  if (result === 'whole-list') return result;
  return result.map((c: WeekChange) => {
    switch (c.op) {
      case 'week-head':
        return `head ${c.week.weekKey} (${c.week.counts.open}/${c.week.counts.booked})`;
      case 'insert-week':
        return `insert week ${c.week.weekKey} after ${c.after}`;
      case 'delete-week':
        return `delete week ${c.weekKey}`;
      case 'replace-day':
        return `replace ${c.day.dayKey} (${c.day.items.length})`;
      case 'insert-day':
        return `insert ${c.day.dayKey} in ${c.weekKey} after ${c.after}`;
      case 'delete-day':
        return `delete ${c.dayKey}`;
      default:
        return `rows ${c.slots.length} in ${c.day.dayKey}`;
    }
  });
}

// Mondays 8, 15 and 22 March 2027; New York moves its clocks on Sunday 14 March.
const mon8 = slot('2027-03-08T15:00:00Z');
const tue9 = slot('2027-03-09T15:00:00Z');
const sun14Late = slot('2027-03-15T03:30:00Z'); // 23:30 on Sunday 14 March in New York (EDT)
const tue16 = slot('2027-03-16T14:00:00Z');
const tue23 = slot('2027-03-23T14:00:00Z');

describe('weeks in a zone', () => {
  it('start on Monday in the schedule’s zone, across a change of the clocks', () => {
    expect(weekKeyOf(t(sun14Late), ZONE)).toBe('2027-03-08');
    expect(weekKeyOf(t(sun14Late), 'UTC')).toBe('2027-03-15');
    const span = weekSpan('2027-03-08', ZONE);
    expect(new Date(span.from).toISOString()).toBe('2027-03-08T05:00:00.000Z');
    expect(new Date(span.to).toISOString()).toBe('2027-03-15T04:00:00.000Z'); // a week an hour short
    expect(weeksOf([t(mon8), t(tue16), t(tue23)], ZONE).spans).toHaveLength(1); // neighbours: one read
    expect(weeksOf([t(mon8), t(tue23)], ZONE).spans).toHaveLength(2);
  });

  it('count every slot of a week, and leave out weeks the filter shows nothing of', () => {
    const weeks = groupByWeek([mon8, slot('2027-03-09T15:00:00Z', true), tue16], ZONE, NOW, (s) =>
      isShownBy('booked', s, NOW),
    );
    expect(weeks.map((w) => [w.weekKey, w.label, w.counts, w.days.length])).toEqual([
      ['2027-03-08', 'Week of 8 March', { open: 1, booked: 1, past: 0 }, 1],
    ]);
  });

  it('say a note once: under the day when all share it, else where it changes', () => {
    const [same] = groupByWeek(
      [slot('2027-03-08T15:00:00Z', false, 'A'), slot('2027-03-08T16:00:00Z', false, 'A')],
      ZONE,
      NOW,
      () => true,
    );
    expect(dayNotes(same!.days[0]!).dayNote).toBe('A');
    const mixed = [
      slot('2027-03-08T15:00:00Z', false, 'A'),
      slot('2027-03-08T16:00:00Z', false, 'A'),
      slot('2027-03-08T17:00:00Z', false, 'B'),
      slot('2027-03-08T18:00:00Z', false, 'A'),
    ];
    const [week] = groupByWeek(mixed, ZONE, NOW, () => true);
    const notes = dayNotes(week!.days[0]!);
    expect(notes.dayNote).toBeNull();
    expect(mixed.map(notes.showsNote)).toEqual([true, false, true, true]);
  });
});

describe('planWeekChanges', () => {
  it('re-sends a booked row in place, with its week’s summary, where the day shows the same slots', () => {
    const booked = { ...tue16, booking: slot(tue16.startsAt.toISOString(), true).booking };
    expect(plan([mon8, tue16], [mon8, booked], [booked], 'upcoming', [booked])).toEqual([
      'head 2027-03-15 (0/1)',
      'rows 1 in 2027-03-16',
    ]);
    // Under "open" the row leaves: its day (and here its week) goes.
    expect(plan([mon8, tue16], [mon8, booked], [booked], 'open', [booked])).toEqual(['delete week 2027-03-15']);
    // Under "booked" it arrives: a week inserted after the last one before it, or a whole list.
    expect(plan([mon8, tue16], [mon8, booked], [booked], 'booked', [booked])).toBe('whole-list');
    const monBooked = { ...mon8, booking: booked.booking };
    expect(plan([monBooked, tue16], [monBooked, booked], [booked], 'booked', [booked])).toEqual([
      'insert week 2027-03-15 after 2027-03-08',
    ]);
  });

  it('inserts weeks and days next to their neighbours, and deletes what empties', () => {
    expect(plan([tue16], [mon8, tue16], [mon8])).toEqual(['insert week 2027-03-08 after null']);
    expect(plan([mon8, tue23], [mon8, tue16, tue23], [tue16])).toEqual(['insert week 2027-03-15 after 2027-03-08']);
    expect(plan([tue9, tue16], [mon8, tue9, tue16], [mon8])).toEqual([
      'head 2027-03-08 (2/0)',
      'insert 2027-03-08 in 2027-03-08 after null',
    ]);
    expect(plan([mon8, tue16], [mon8, tue9, tue16], [tue9])).toEqual([
      'head 2027-03-08 (2/0)',
      'insert 2027-03-09 in 2027-03-08 after 2027-03-08',
    ]);
    expect(plan([mon8, tue9, tue16], [mon8, tue16], [tue9])).toEqual(['head 2027-03-08 (1/0)', 'delete 2027-03-09']);
    const second = slot('2027-03-09T16:00:00Z');
    expect(plan([mon8, tue9, tue16], [mon8, tue9, second, tue16], [second])).toEqual([
      'head 2027-03-08 (3/0)',
      'replace 2027-03-09 (2)',
    ]);
    expect(plan([mon8, tue16], [mon8], [tue16])).toEqual(['delete week 2027-03-15']);
    expect(plan([mon8], [], [mon8])).toBe('whole-list');
    expect(plan([], [mon8], [mon8])).toBe('whole-list');
  });

  it('re-sends a summary line alone when only slots the filter hides changed', () => {
    const monBooked = { ...mon8, booking: slot(mon8.startsAt.toISOString(), true).booking };
    expect(plan([monBooked, tue9], [monBooked], [tue9], 'booked')).toEqual(['head 2027-03-08 (0/1)']);
  });
});
