/**
 * 1. Fan-out: N viewer sockets on one schedule, spread over three zones; a series of bookings; the
 * time from sending the booking request to each viewer receiving its fragment. Baseline: a bare ws
 * server broadcasting the same bytes (a fragment captured from the app) to the same number of
 * sockets, timed the same way. Both servers and this load generator share the machine's cores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postBytes, request } from './lib/http.ts';
import { BENCH_APP_ENV, startAppProcess, startBareWsServer } from './lib/processes.ts';
import { createBenchSchedule } from './lib/schedule.ts';
import { openViewers } from './lib/sockets.ts';
import { sleep, summary } from './lib/stats.ts';

const ZONES = ['America/Denver', 'Europe/London', 'Asia/Tokyo'];

export interface Latencies {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface FanoutResult {
  viewers: number;
  bookings: number;
  app: Latencies;
  baseline: Latencies;
  messageBytes: number;
}

/** Bookings made first and not measured, on both servers: JIT warm-up, first-use allocations. */
const WARM_UP = 3;

export async function benchFanout(
  viewerCounts: number[],
  bookingsPerRun: number,
  log: (line: string) => void,
  databaseUrl?: string,
): Promise<FanoutResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-fanout-'));
  const app = await startAppProcess({
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir }),
    ...BENCH_APP_ENV,
  });
  const bare = await startBareWsServer();
  const results: FanoutResult[] = [];
  try {
    for (const count of viewerCounts) {
      // A fresh schedule per run: 24 slots, one booking each, all on 15 January in every viewer's
      // zone (08:00–14:00 UTC), the day their pages show. Both sets of viewers stay connected and the
      // rounds alternate (app booking, bare broadcast), so both see the same conditions.
      const schedule = await createBenchSchedule(app.origin, {
        firstDate: '2030-01-15',
        days: 1,
        start: '08:00',
        end: '14:00',
        split: 15,
      });
      const viewers = await openViewers(
        count,
        `${app.origin.replace('http', 'ws')}/s/${schedule.publicId}/live?day=2030-01-15`,
        (i) => ({
          origin: app.origin,
          cookie: `tz=${encodeURIComponent(ZONES[i % ZONES.length]!)}`,
        }),
      );
      const bareViewers = await openViewers(count, `${bare.origin.replace('http', 'ws')}/`, () => ({}), {
        waitFirstMessage: false,
      });
      log(`  fan-out: ${count} viewers on the app and ${count} on the bare ws server`);
      const appLatencies: number[] = [];
      const bareLatencies: number[] = [];
      let payload: Buffer | null = null;
      for (let k = 0; k < WARM_UP + bookingsPerRun; k++) {
        const slotId = schedule.slotIds[k]!;
        let t0 = performance.now();
        const arrived = viewers.waitForMarker(Buffer.from(`slot-${slotId}`), t0);
        const booked = await request(app.origin, `/s/${schedule.publicId}/slots/${slotId}/claim`, {
          form: { name: 'Bench', email: '' },
          htmx: true,
        });
        if (booked.status !== 200) throw new Error(`booking failed: ${booked.status}`);
        const appRound = await arrived;
        if (process.env.BENCH_ROUNDS) log(`    round ${k}: app p99 ${summary(appRound).p99.toFixed(1)}`);
        payload ??= viewers.sample();
        await sleep(250);

        t0 = performance.now();
        const bareArrived = bareViewers.waitForMarker(null, t0);
        await postBytes(bare.origin, '/broadcast', payload!);
        const bareRound = await bareArrived;
        if (process.env.BENCH_ROUNDS) log(`    round ${k}: bare p99 ${summary(bareRound).p99.toFixed(1)}`);
        await sleep(250);
        if (k >= WARM_UP) {
          appLatencies.push(...appRound);
          bareLatencies.push(...bareRound);
        }
      }
      await Promise.all([viewers.close(), bareViewers.close()]);
      results.push({
        viewers: count,
        bookings: bookingsPerRun,
        app: summary(appLatencies),
        baseline: summary(bareLatencies),
        messageBytes: payload?.length ?? 0,
      });
      const last = results[results.length - 1]!;
      log(`  fan-out ${count}: app p99 ${last.app.p99.toFixed(1)} ms, bare ws p99 ${last.baseline.p99.toFixed(1)} ms`);
    }
  } finally {
    await Promise.all([app.stop(), bare.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
