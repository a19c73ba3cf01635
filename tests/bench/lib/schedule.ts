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
export async function createBenchSchedule(origin: string, options: { firstDate: string; days: number; start: string; end: string; split: number }): Promise<BenchSchedule> {
  // UTC: no day of the year skips or repeats an hour, so any day takes 00:00–23:45.
  const created = await request(origin, '/schedules', { form: { title: 'Bench', hostName: 'Bench', timeZone: 'UTC' } });
  const adminKey = /\/admin\/([a-z2-7]{32})/.exec(String(created.headers.location))![1]!;
  const day = new Date(`${options.firstDate}T12:00:00Z`);
  for (let i = 0; i < options.days; i++) {
    const date = new Date(day.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const added = await request(origin, `/admin/${adminKey}/slots`, { form: { date, start: options.start, end: options.end, split: String(options.split), notes: 'Bench slot' } });
    if (added.status !== 303) throw new Error(`adding slots failed: ${added.status}`);
  }
  const dashboard = await request(origin, `/admin/${adminKey}`);
  const publicId = /\/s\/([a-z2-7]{32})/.exec(dashboard.body)![1]!;
  const slotIds = [...dashboard.body.matchAll(/id="slot-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  return { adminKey, publicId, slotIds };
}
