/**
 * 3. The scheduling page of a full schedule (2,000 slots, 600 of them booked): server time per render
 * and bytes sent. The page reads only what it shows (a month's per-day counts, one day's slots), so
 * its cost should not grow with the schedule. Baseline: the same Hono app serving the same HTML from
 * memory, so the ratio is the cost of reading and rendering.
 */
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { Hono } from 'hono';
import { createApp } from '../../src/app.ts';
import { loadAssets } from '../../src/assets.ts';
import { loadConfig } from '../../src/config.ts';
import { openEmbeddedDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { claimSlot } from '../../src/domain/bookings.ts';
import { createSchedule } from '../../src/domain/schedules.ts';
import { addSlots } from '../../src/domain/slots.ts';
import { generateKey, hashKey } from '../../src/domain/tokens.ts';
import { createInProcessBus } from '../../src/realtime/bus.ts';
import { createLive } from '../../src/realtime/live.ts';
import { summary } from './lib/stats.ts';

const SLOTS = 2000;

export interface RenderResult {
  slots: number;
  render: { p50: number; p99: number };
  baseline: { p50: number; p99: number };
  bytes: { raw: number; gzip: number; brotli: number };
}

async function timeRequests(
  run: () => Response | Promise<Response>,
  warmUp: number,
  count: number,
): Promise<{ p50: number; p99: number; last: string }> {
  let last = '';
  for (let i = 0; i < warmUp; i++) last = await (await run()).text();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await run();
    last = await response.text();
    times.push(performance.now() - started);
  }
  const { p50, p99 } = summary(times);
  return { p50, p99, last };
}

export async function benchRender(): Promise<RenderResult> {
  const database = await openEmbeddedDatabase();
  try {
    await migrateDatabase(database);
    const db = database.db;
    const now = new Date();
    const { schedule } = await createSchedule(db, {
      title: 'Office hours',
      hostName: 'Marissa',
      timeZone: 'America/New_York',
    });
    // 2,000 slots of 30 minutes, 20 a day from the day after tomorrow on, with notes.
    const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2, 13);
    const planned = Array.from({ length: SLOTS }, (_, i) => {
      const startsAt = new Date(first + Math.floor(i / 20) * 86_400_000 + (i % 20) * 1_800_000);
      return {
        startsAt,
        endsAt: new Date(startsAt.getTime() + 1_800_000),
        notes: i % 3 === 0 ? 'Zoom link in the calendar invite' : '',
      };
    });
    const added = await addSlots(db, schedule.id, planned);
    if (!added.ok) throw new Error('render bench: slots overlap');
    for (const slot of added.slots.filter((_, i) => i % 10 < 3)) {
      await claimSlot(db, {
        scheduleId: schedule.id,
        slotId: slot.id,
        visitorHash: hashKey(generateKey()),
        booking: { name: 'Booked', email: '' },
        now,
      });
    }
    const config = loadConfig({ SITE_TIME_ZONE: 'UTC' });
    const live = createLive({
      db,
      bus: createInProcessBus(),
      now: () => new Date(),
      siteZone: 'UTC',
      limits: config,
      onError: () => {},
    });
    const app = createApp({ config, db, live, assets: loadAssets(), now: () => new Date(), log: () => {} });
    const visitor = generateKey();
    const headers = { cookie: `tz=America%2FDenver; visitor=${visitor}` };
    const page = await timeRequests(() => app.request(`/s/${schedule.publicId}`, { headers }), 30, 300);

    const html = page.last;
    const bare = new Hono();
    bare.get('/', (c) => c.html(html));
    const baseline = await timeRequests(() => bare.request('/'), 30, 300);
    await live.close();
    return {
      slots: SLOTS,
      render: { p50: page.p50, p99: page.p99 },
      baseline: { p50: baseline.p50, p99: baseline.p99 },
      bytes: { raw: Buffer.byteLength(html), gzip: gzipSync(html).length, brotli: brotliCompressSync(html).length },
    };
  } finally {
    await database.close();
  }
}
