/** Which days a change re-sends, and how, for one view; and the cache that keeps full states. */
import { describe, expect, it } from 'vitest';
import type { Slot } from '../../src/domain/slots.ts';
import { type DayChange, planDayChanges } from '../../src/realtime/day-changes.ts';
import { LruCache } from '../../src/realtime/lru-cache.ts';

const at = (iso: string) => Date.parse(iso);
const slot = (iso: string): Slot => ({
  id: `id-${iso}`,
  scheduleId: 's',
  startsAt: new Date(iso),
  endsAt: new Date(at(iso) + 30 * 60_000),
  notes: '',
  booking: null,
});

/** The plan for `zone` when the pages held `before` and the database now holds `after`. */
function plan(
  before: string[],
  after: string[],
  zone = 'UTC',
  hinted: string[] = [],
  visibleFrom = Number.NEGATIVE_INFINITY,
) {
  const result = planDayChanges({
    before: before.map(at).sort((a, b) => a - b),
    after: after.map(at).sort((a, b) => a - b),
    spanSlots: after.map(slot).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
    hinted: hinted.map(at),
    zone,
    visibleFrom,
  });
  if (result === 'whole-list') return result;
  return result.map((c: DayChange) =>
    c.op === 'delete'
      ? `delete ${c.dayKey}`
      : c.op === 'insert'
        ? `insert ${c.day.dayKey} after ${c.after}`
        : `replace ${c.day.dayKey} (${c.day.items.length})`,
  );
}

describe('planDayChanges', () => {
  const monday = '2030-03-04T10:00:00Z';
  const wednesday = '2030-03-06T10:00:00Z';
  it('inserts a new day after the day before it, first days at the top', () => {
    expect(plan([monday, wednesday], [monday, '2030-03-05T10:00:00Z', wednesday])).toEqual([
      'insert 2030-03-05 after 2030-03-04',
    ]);
    expect(plan([monday, wednesday], ['2030-03-01T10:00:00Z', monday, wednesday])).toEqual([
      'insert 2030-03-01 after null',
    ]);
  });
  it('inserts consecutive new days each after the one before, in order', () => {
    expect(plan([monday], [monday, '2030-03-05T10:00:00Z', '2030-03-07T10:00:00Z'])).toEqual([
      'insert 2030-03-05 after 2030-03-04',
      'insert 2030-03-07 after 2030-03-05',
    ]);
  });
  it('replaces a day that gains or loses a slot, and deletes one that loses its last', () => {
    expect(plan([monday, wednesday], [monday, '2030-03-04T12:00:00Z', wednesday])).toEqual(['replace 2030-03-04 (2)']);
    expect(plan([monday, '2030-03-04T12:00:00Z', wednesday], [monday, wednesday])).toEqual(['replace 2030-03-04 (1)']);
    expect(plan([monday, wednesday], [wednesday])).toEqual(['delete 2030-03-04']);
  });
  it('decides from what the pages hold, whichever events arrived', () => {
    // Two slots on a new day; the pages held neither: an insert with both, even if only one was named.
    expect(
      plan([monday], [monday, '2030-03-05T09:00:00Z', '2030-03-05T10:00:00Z'], 'UTC', ['2030-03-05T10:00:00Z']),
    ).toEqual(['insert 2030-03-05 after 2030-03-04']);
    // A slot replaced in place (same start, another slot): its day is re-sent when named.
    expect(plan([monday, wednesday], [monday, wednesday], 'UTC', [monday])).toEqual(['replace 2030-03-04 (1)']);
    expect(plan([monday, wednesday], [monday, wednesday])).toEqual([]);
  });
  it('sends the whole list when it goes from empty to not, or back', () => {
    expect(plan([], [monday])).toBe('whole-list');
    expect(plan([monday], [])).toBe('whole-list');
    // Empty for this viewer: everything before their first visible instant.
    expect(plan([monday], [monday, wednesday], 'UTC', [], at('2030-03-05T00:00:00Z'))).toBe('whole-list');
  });
  it('uses the viewer’s zone for days: one UTC day is two days in Tokyo', () => {
    expect(plan([monday], [monday, '2030-03-04T20:00:00Z'], 'Asia/Tokyo')).toEqual([
      'insert 2030-03-05 after 2030-03-04',
    ]);
    expect(plan([monday], [monday, '2030-03-04T20:00:00Z'], 'UTC')).toEqual(['replace 2030-03-04 (2)']);
  });
});

describe('LruCache', () => {
  it('drops the least recently used entries past its count and its byte budget', () => {
    const cache = new LruCache<string>(3, { maxBytes: 10, sizeOf: (v) => v.length });
    cache.set('a', 'xxx');
    cache.set('b', 'xxx');
    cache.get('a'); // now the most recent
    cache.set('c', 'xxx');
    cache.set('d', 'xx'); // 11 bytes: b goes
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual(['xxx', 'xxx', 'xx']);
    expect(cache.bytes).toBe(8);
    cache.set('e', 'x'.repeat(20)); // larger than the budget alone: nothing stays
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});
