/** Data builders for domain tests. */
import type { Database } from '../../src/db/client.ts';
import { createSchedule } from '../../src/domain/schedules.ts';
import { addSlots } from '../../src/domain/slots.ts';
import { hashKey } from '../../src/domain/tokens.ts';

export async function makeSchedule(
  db: Database,
  overrides: Partial<{ title: string; hostName: string; timeZone: string }> = {},
) {
  return createSchedule(db, {
    title: 'Career coaching',
    hostName: 'Marissa',
    timeZone: 'America/New_York',
    ...overrides,
  });
}

/** Adds back-to-back 30-minute slots from `start`. */
export async function makeSlots(db: Database, scheduleId: string, start: Date, count: number, minutes = 30) {
  const planned = Array.from({ length: count }, (_, i) => ({
    startsAt: new Date(start.getTime() + i * minutes * 60_000),
    endsAt: new Date(start.getTime() + (i + 1) * minutes * 60_000),
    notes: '',
  }));
  const result = await addSlots(db, scheduleId, planned);
  if (!result.ok) throw new Error('fixture slots overlap');
  return result.slots;
}

let visitorCounter = 0;
/** A visitor hash as the cookie would give it. */
export function visitorHash(label = `visitor-${++visitorCounter}`): string {
  return hashKey(label);
}
