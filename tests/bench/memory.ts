/**
 * 4. Memory: resident set size added per idle viewer socket, at two counts, against a bare ws
 * server holding as many sockets. The viewers connect to one schedule (three zones), receive the
 * full state, then sit idle; RSS is read from /proc after they settle.
 *
 * RSS moves for reasons of its own (a collection, the allocator returning pages) and on a loaded
 * machine it may not settle, or may fall while sockets open: a figure at or below zero, one from an
 * RSS that never settled, or an app figure below half the bare server's (each app socket holds the
 * same ws socket and more) is no measurement. It is taken again, and after three such attempts
 * reported as inconsistent, never as met.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_APP_ENV, startAppProcess, rssOf, startBareWsServer } from './lib/processes.ts';
import { createBenchSchedule } from './lib/schedule.ts';
import { openViewers } from './lib/sockets.ts';
import { measureConsistently } from './lib/consistency.ts';
import { sleep } from './lib/stats.ts';

const ZONES = ['America/Denver', 'Europe/London', 'Asia/Tokyo'];

export interface MemoryResult {
  sockets: number;
  appBytesPerSocket: number;
  bareBytesPerSocket: number;
  consistent: boolean;
  /** Why the last attempt was no measurement (empty when consistent). */
  problems: string[];
  attempts: number;
}

interface Rss {
  bytes: number;
  /** False when it was still moving after five seconds. */
  settled: boolean;
}

/** RSS once it stops moving (GC and allocator settle after a burst of connections). */
async function settledRss(pid: number): Promise<Rss> {
  let previous = rssOf(pid);
  for (let i = 0; i < 10; i++) {
    await sleep(500);
    const current = rssOf(pid);
    if (Math.abs(current - previous) < 256 * 1024) return { bytes: current, settled: true };
    previous = current;
  }
  return { bytes: previous, settled: false };
}

interface Attempt {
  app: number;
  bare: number;
  unsettled: string[];
}

function checkAttempt(a: Attempt): string[] {
  const problems: string[] = [];
  if (!(a.app > 0)) problems.push(`app ${(a.app / 1024).toFixed(1)} KB per socket`);
  if (!(a.bare > 0)) problems.push(`bare ws ${(a.bare / 1024).toFixed(1)} KB per socket`);
  if (a.app > 0 && a.bare > 0 && a.app < a.bare / 2)
    problems.push(
      `app ${(a.app / 1024).toFixed(1)} KB per socket, under half the bare ws ${(a.bare / 1024).toFixed(1)} KB`,
    );
  if (a.unsettled.length) problems.push(`RSS still moving: ${a.unsettled.join(', ')}`);
  return problems;
}

export async function benchMemory(counts: number[], log: (line: string) => void): Promise<MemoryResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-memory-'));
  const app = await startAppProcess({ DATA_DIR: dataDir, ...BENCH_APP_ENV });
  const bare = await startBareWsServer();
  const results: MemoryResult[] = [];
  try {
    const schedule = await createBenchSchedule(app.origin, {
      firstDate: '2030-01-15',
      days: 1,
      start: '08:00',
      end: '20:00',
      split: 30,
    });
    const url = `${app.origin.replace('http', 'ws')}/s/${schedule.publicId}/live?day=2030-01-15`;
    const headersFor = (i: number) => ({
      origin: app.origin,
      cookie: `tz=${encodeURIComponent(ZONES[i % ZONES.length]!)}`,
    });
    // Warm both servers up so the first measurement is not their start-up allocations.
    await (await openViewers(200, url, headersFor)).close();
    await (
      await openViewers(200, `${bare.origin.replace('http', 'ws')}/`, () => ({}), { waitFirstMessage: false })
    ).close();
    for (const count of counts) {
      const measured = await measureConsistently(
        `memory ${count}`,
        async (attempt) => {
          if (attempt > 1) await sleep(2000);
          const appBefore = await settledRss(app.child.pid!);
          const viewers = await openViewers(count, url, headersFor);
          const appAfter = await settledRss(app.child.pid!);
          await viewers.close();

          const bareBefore = await settledRss(bare.child.pid!);
          const bareViewers = await openViewers(count, `${bare.origin.replace('http', 'ws')}/`, () => ({}), {
            waitFirstMessage: false,
          });
          const bareAfter = await settledRss(bare.child.pid!);
          await bareViewers.close();
          const unsettled = Object.entries({
            'app before': appBefore,
            'app after': appAfter,
            'bare before': bareBefore,
            'bare after': bareAfter,
          })
            .filter(([, rss]) => !rss.settled)
            .map(([name]) => name);
          return {
            app: (appAfter.bytes - appBefore.bytes) / count,
            bare: (bareAfter.bytes - bareBefore.bytes) / count,
            unsettled,
          };
        },
        checkAttempt,
        log,
      );
      const result = {
        sockets: count,
        appBytesPerSocket: measured.value.app,
        bareBytesPerSocket: measured.value.bare,
        consistent: measured.consistent,
        problems: measured.problems,
        attempts: measured.attempts,
      };
      log(
        `  memory ${count}: app ${(result.appBytesPerSocket / 1024).toFixed(1)} KB/socket, bare ws ${(result.bareBytesPerSocket / 1024).toFixed(1)} KB/socket${result.consistent ? '' : ' (inconsistent)'}`,
      );
      results.push(result);
      await sleep(1000);
    }
  } finally {
    await Promise.all([app.stop(), bare.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
