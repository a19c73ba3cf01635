/**
 * npm run fault:pg-restart: a real PostgreSQL restart under a running app. On a private throwaway
 * cluster (never the shared server), the app process runs with a host and a visitor watching a
 * schedule live; bookings are made before and during four restarts, clean (`pg_ctl restart -m
 * fast`) and crash (`-m immediate`: no shutdown checkpoint, recovery from WAL), twice each. After each:
 * the app answers again by itself, every answer meanwhile was 200, 409 or a human 503 (never a
 * 500), the viewers receive the full state (a booking nobody was notified of shows up) and later
 * bookings arrive live, and every acknowledged booking is in the database with its name, none
 * half-written. Prints counts; exits 1 on any failure; always removes the cluster. `.ci/run` calls
 * it after `npm test`.
 */
import pg from 'pg';
import { buildServer } from '../../src/tools/build.mjs';
import {
  type Acknowledged,
  type Attempt,
  auditBookings,
  bookingBurst,
  bookingsMissingOverHttp,
  bookSilently,
} from '../helpers/booking-burst.ts';
import { type ScheduleViewers, watchSchedule } from '../helpers/live-viewers.ts';
import { APP_START_MS, WAIT_MS } from '../helpers/patience.ts';
import { type AppProcess, startAppProcess } from '../helpers/process.ts';
import {
  addDayOfSlots,
  claimAsNewVisitor,
  createRemoteSchedule,
  daysAhead,
  type RemoteSchedule,
  slotIdsOf,
  statusesUntilOk,
} from '../helpers/remote.ts';
import { createPrivateCluster, type PrivateCluster } from './lib/private-cluster.ts';

/** The whole run: about 10 s idle here; CI allows far more, and a slow day needs it. */
const DEADLINE_MS = 600_000;
const began = performance.now();
const log = (line: string) => console.log(`pg-restart [${((performance.now() - began) / 1000).toFixed(1)} s]: ${line}`);

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

/** Waits until `ready()` holds (checked every 20 ms), or fails with `what` after WAIT_MS. */
async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + WAIT_MS;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Runs `work` on a client of its own connected to `url`, then closes it. A new connection each
 * time: one kept open would be cut by the next restart (node-postgres does not reconnect a client).
 */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'ipt-pg-restart' });
  client.on('error', () => {}); // a connection lost meanwhile fails the query in flight
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Books slots one after another from a few workers until stopped, retrying a slot after a 503. */
function bookContinuously(app: AppProcess, schedule: RemoteSchedule, slots: string[], label: string) {
  const attempts: Attempt[] = [];
  const acknowledged: Acknowledged[] = [];
  const statuses = new Map<number, number>();
  let stopped = false;
  let tries = 0;
  const worker = async () => {
    while (!stopped && slots.length > 0) {
      const slotId = slots.shift()!;
      for (;;) {
        const name = `${label} ${tries++}`;
        attempts.push({ slotId, name });
        const response = await claimAsNewVisitor(app, schedule, slotId, name);
        const body = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 200)
          acknowledged.push({ slotId, name, manageKey: /\/b\/([a-z2-7]{32})/.exec(body)![1]! });
        // 503: the database was away; the same slot again (an earlier try may have committed: then 409).
        if (response.status !== 503 || stopped) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const running = Promise.all(Array.from({ length: 4 }, worker));
  return {
    attempts,
    acknowledged,
    statuses,
    /** Every slot handed out has been asked for: no more bookings will come. */
    exhausted: () => slots.length === 0,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  let cluster: PrivateCluster | undefined;
  let app: AppProcess | undefined;
  let viewers: ScheduleViewers | undefined;
  const cleanUp = () => {
    viewers?.close();
    if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
    cluster?.destroy();
  };
  // However the run ends (an error, SIGINT, the deadline, a promise that never settles), the
  // cluster goes, and only a run that reached the end passes.
  process.exitCode = 1;
  process.once('exit', cleanUp);
  process.once('SIGINT', () => process.exit(130));
  const deadline = setTimeout(() => {
    console.error(`pg-restart: FAILED: not done within ${DEADLINE_MS / 1000} s`);
    if (cluster) console.error(`pg-restart: the end of PostgreSQL's log:\n${cluster.logTail()}`);
    process.exit(1);
  }, DEADLINE_MS);

  try {
    await buildServer();
    cluster = await createPrivateCluster();
    await withClient(cluster.url('postgres'), (admin) => admin.query('CREATE DATABASE ipt'));
    const url = cluster.url('ipt');
    log(`private cluster on 127.0.0.1:${cluster.port} (${((performance.now() - started) / 1000).toFixed(1)} s)`);

    app = await startAppProcess({ DATABASE_URL: url, BOOKING_RATE_LIMIT: '100000' });
    const schedule = await createRemoteSchedule(app, 'PostgreSQL restart');
    for (const day of [6, 7, 8, 9, 10]) await addDayOfSlots(app, schedule, daysAhead(day));
    const free = await slotIdsOf(app, schedule);
    // The visitor's page shows one day (the first): the bookings it must see are taken from that day.
    const watched = free.splice(0, 16);
    viewers = await watchSchedule(app, schedule);

    const attempts: Attempt[] = [];
    const acknowledged: Acknowledged[] = [];
    const totals = { restarts: 0, requestsDuringRestarts: 0, answered503: 0 };

    for (const mode of ['fast', 'immediate', 'fast', 'immediate'] as const) {
      const before = await bookingBurst(app, schedule, free.splice(0, 40), {
        label: `before ${mode}`,
        concurrency: 8,
        raceEvery: 5,
      });
      check(
        before.unexpected.length === 0 && before.unanswered === 0,
        `bookings before the ${mode} restart: ${before.unexpected.join(', ')} (${before.unanswered} unanswered)`,
      );
      attempts.push(...before.attempts);
      acknowledged.push(...before.acknowledged);
      // Once the app answered /healthz after the last restart, nothing may fail: no connection the
      // restart cut may be handed out again (with postgres.js one cut mid-query failed its next
      // query with the old error: porsager/postgres#1223).
      check(
        before.unavailable === 0,
        `${before.unavailable} bookings answered 503 after the app had recovered from the previous restart`,
      );

      // Committed with no notification: only a full-state resync after the restart can show it.
      const silent = watched.shift()!;
      const silentName = `Unnotified before ${mode} restart`;
      await withClient(url, (client) => bookSilently(client, silent, silentName));
      const from = viewers.mark();

      const during = bookContinuously(app, schedule, free.splice(0, 60), `during ${mode}`);
      // The restart comes while bookings are being answered.
      await until(() => during.acknowledged.length >= 4 || during.exhausted(), `bookings before the ${mode} restart`);
      const restartStarted = performance.now();
      await cluster.restart(mode);
      const restartMs = performance.now() - restartStarted;
      if (restartMs > 10_000)
        log(`the ${mode} restart took ${(restartMs / 1000).toFixed(1)} s; PostgreSQL's log:\n${cluster.logTail(15)}`);
      totals.restarts++;
      const health = await statusesUntilOk(app, '/healthz', APP_START_MS);
      check(
        health.at(-1) === 200,
        `the app did not answer /healthz 200 within ${APP_START_MS / 1000} s of the ${mode} restart: ${health.join(',')}`,
      );
      const recoveredMs = performance.now() - restartStarted;
      // A few more bookings answered after recovery, then stop.
      const answeredAtRecovery = during.acknowledged.length;
      await until(
        () => during.acknowledged.length >= answeredAtRecovery + 4 || during.exhausted(),
        `bookings after the ${mode} restart`,
      );
      await during.stop();
      attempts.push(...during.attempts);
      acknowledged.push(...during.acknowledged);
      const statuses = [...during.statuses].map(([status, n]) => `${n}× ${status}`).join(', ');
      check(
        [...during.statuses.keys()].every((s) => s === 200 || s === 409 || s === 503),
        `answers during the ${mode} restart: ${statuses}`,
      );
      totals.requestsDuringRestarts += during.attempts.length;
      totals.answered503 += during.statuses.get(503) ?? 0;

      await viewers.see(silent, silentName, from).catch((error: Error) => {
        throw new Error(`viewers were not resynced after the ${mode} restart: ${error.message}`);
      });
      const liveFrom = viewers.mark();
      const after = watched.shift()!;
      const afterName = `Live after ${mode} restart`;
      const booked = await claimAsNewVisitor(app, schedule, after, afterName);
      check(booked.status === 200, `booking after the ${mode} restart answered ${booked.status}`);
      await viewers.see(after, afterName, liveFrom).catch((error: Error) => {
        throw new Error(`a booking after the ${mode} restart did not arrive live (is LISTEN back?): ${error.message}`);
      });

      // A local server answers a connection attempt in milliseconds: one that waited out the 5 s
      // connection timeout (the pool's or the LISTEN client's) was stuck, never answered.
      const stuck =
        app.logs
          .join('')
          .match(/timeout exceeded when trying to connect|Connection terminated due to connection timeout/g)?.length ??
        0;
      check(stuck === 0, `${stuck} connection attempts to the database timed out around the ${mode} restart`);

      const audit = await withClient(url, (client) =>
        auditBookings(async (text) => (await client.query<Record<string, unknown>>(text)).rows, attempts, acknowledged),
      );
      check(
        audit.lost.length === 0,
        `acknowledged bookings lost after the ${mode} restart: ${audit.lost.map((a) => a.name).join(', ')}`,
      );
      check(
        audit.halfWritten === 0 && audit.constraintValidated,
        `half-written bookings after the ${mode} restart: ${audit.halfWritten}`,
      );
      check(
        audit.acknowledgedTwice.length === 0 && audit.foreign === 0,
        `double or foreign bookings after the ${mode} restart`,
      );
      const missing = await bookingsMissingOverHttp(app, acknowledged);
      check(missing.length === 0, `manage pages missing after the ${mode} restart: ${missing.join(', ')}`);
      log(
        `restart -m ${mode}: PostgreSQL back in ${(restartMs / 1000).toFixed(1)} s, app healthy ${(recoveredMs / 1000).toFixed(1)} s after the restart began; ` +
          `${during.attempts.length} booking requests during it (${statuses}); viewers resynced, live again; ` +
          `${audit.acknowledged} acknowledged bookings so far, ${audit.checked} checked in SQL and over HTTP, ${audit.lost.length} lost, ${audit.halfWritten} half-written`,
      );
    }

    const exit = await app.stop('SIGTERM');
    check(exit === 0, `the app exited ${exit} on SIGTERM`);
    log(
      `passed in ${((performance.now() - started) / 1000).toFixed(1)} s: ${totals.restarts} restarts (fast and immediate, twice each), ${attempts.length} booking requests ` +
        `(${totals.requestsDuringRestarts} during restarts, ${totals.answered503} of them answered 503, none after recovery), ` +
        `${acknowledged.length} acknowledged, all checked, 0 lost`,
    );
  } catch (error) {
    if (app) console.error(`pg-restart: the app's log:\n${app.logs.join('')}`);
    if (cluster) console.error(`pg-restart: the end of PostgreSQL's log:\n${cluster.logTail()}`);
    throw error;
  } finally {
    clearTimeout(deadline);
    cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`pg-restart: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
