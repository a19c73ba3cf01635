/** Creating a schedule with many slots on a running app, over HTTP like a host would. */
import { request } from './http.ts';

export interface BenchSchedule {
  adminKey: string;
  publicId: string;
  slotIds: string[];
}

/**
 * A schedule (in UTC) with `days` days of slots from `firstDate`, each day `start`–`end` split
 * into `split`-minute slots.
 */
export async function createBenchSchedule(
  origin: string,
  options: { firstDate: string; days: number; start: string; end: string; split: number },
): Promise<BenchSchedule> {
  // UTC: no day of the year skips or repeats an hour, so any day takes 00:00–23:45.
  const created = await request(origin, '/schedules', { form: { title: 'Bench', hostName: 'Bench', timeZone: 'UTC' } });
  const adminKey = /\/admin\/([a-z2-7]{32})/.exec(String(created.headers.location))![1]!;
  const day = new Date(`${options.firstDate}T12:00:00Z`);
  for (let i = 0; i < options.days; i++) {
    const date = new Date(day.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const added = await request(origin, `/admin/${adminKey}/slots`, {
      form: { date, start: options.start, end: options.end, split: String(options.split), notes: 'Bench slot' },
    });
    if (added.status !== 303) throw new Error(`adding slots failed: ${added.status}`);
  }
  const dashboard = await request(origin, `/admin/${adminKey}`);
  const publicId = /\/s\/([a-z2-7]{32})/.exec(dashboard.body)![1]!;
  const slotIds = [...dashboard.body.matchAll(/id="slot-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  return { adminKey, publicId, slotIds };
}

/** A day's worth of 15-minute slots, 00:00–23:45 (UTC takes every day whole). */
const SLOTS_PER_DAY = 95;

/**
 * A schedule (in UTC) with exactly `count` 15-minute slots from `firstDate`, added through the
 * host's add route a day (at most 95 slots, under the default cap per add) at a time.
 */
export async function createScheduleWithSlots(
  origin: string,
  options: { count: number; firstDate: string; notes?: string; slotIds?: boolean },
): Promise<BenchSchedule> {
  const created = await request(origin, '/schedules', { form: { title: 'Bench', hostName: 'Bench', timeZone: 'UTC' } });
  if (created.status !== 303) throw new Error(`creating a schedule answered ${created.status}`);
  const adminKey = /\/admin\/([a-z2-7]{32})/.exec(String(created.headers.location))![1]!;
  const day = new Date(`${options.firstDate}T12:00:00Z`);
  for (let i = 0, left = options.count; left > 0; i++, left -= SLOTS_PER_DAY) {
    const date = new Date(day.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const minutes = Math.min(left, SLOTS_PER_DAY) * 15;
    const end = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const added = await request(origin, `/admin/${adminKey}/slots`, {
      form: { date, start: '00:00', end, split: '15', notes: options.notes ?? 'Bench slot' },
      readBody: false,
    });
    if (added.status !== 303) throw new Error(`adding slots on ${date} answered ${added.status}`);
  }
  const dashboard = await request(origin, `/admin/${adminKey}`);
  const publicId = /\/s\/([a-z2-7]{32})/.exec(dashboard.body)![1]!;
  const slotIds =
    options.slotIds === false
      ? []
      : [...new Set([...dashboard.body.matchAll(/id="slot-([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
  if (options.slotIds !== false && slotIds.length !== options.count)
    throw new Error(`the dashboard lists ${slotIds.length} slots, not ${options.count}`);
  return { adminKey, publicId, slotIds };
}

/** A date (YYYY-MM-DD) `days` from today, UTC: slots there are in the future for the whole run. */
export const dateAhead = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
