/**
 * SIGKILL in the middle of a burst of bookings, embedded and PostgreSQL: the app process takes
 * concurrent bookings from distinct visitors (some racing for one slot), is killed after a number
 * of acknowledgements with requests still in flight, and restarts on the same data. Every
 * acknowledged booking must be there with its name (in SQL, and over HTTP on its manage page),
 * no booking half-written, no slot acknowledged twice. Three kills per database kind.
 *
 * Embedded PGlite runs with fsync off: this proves durability across a process crash (the data is
 * in the kernel's page cache when the answer goes out), not across a power cut.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../../src/db/client.ts';
import { acquireDataLock } from '../../src/db/data-lock.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { auditBookings, bookingBurst, bookingsMissingOverHttp, type RunSql } from '../helpers/booking-burst.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { type AppProcess, startAppProcess } from '../helpers/process.ts';
import { addDayOfSlots, claimAsNewVisitor, createRemoteSchedule, daysAhead, slotIdsOf } from '../helpers/remote.ts';

const ROUNDS = 3;

describe.each(databaseKinds)('SIGKILL during a burst of bookings (%s)', { timeout: STORY_TIMEOUT_MS }, (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-crash-'));
  let database: TestDatabase | undefined;
  let app: AppProcess | undefined;

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await database?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** SQL straight on the data the killed process left: PGlite opened on its folder, or PostgreSQL. */
  async function withSql<T>(use: (run: RunSql) => Promise<T>): Promise<T> {
    if (database) return use(async (text) => (await database!.pool!.query<Record<string, unknown>>(text)).rows);
    const lock = acquireDataLock(dataDir); // the killed server's lock is stale: taken over
    const handle = await openEmbeddedDatabase({ dataDir });
    try {
      return await use(async (text) => (await handle.pglite!.query<Record<string, unknown>>(text)).rows);
    } finally {
      await handle.close();
      lock.release();
    }
  }

  it(`loses no acknowledged booking and half-writes none, over ${ROUNDS} kills`, async () => {
    if (kind === 'postgres') database = await openTestDatabase('postgres');
    const env = {
      ...(database ? { DATABASE_URL: database.url! } : { DATA_DIR: dataDir }),
      BOOKING_RATE_LIMIT: '100000',
    };
    app = await startAppProcess(env);
    const schedule = await createRemoteSchedule(app, 'Crash test');
    const used = new Set<string>();
    const totals = {
      kills: 0,
      attempts: 0,
      acknowledged: 0,
      checked: 0,
      lost: 0,
      refused: 0,
      unanswered: 0,
      committedUnacknowledged: 0,
      inFlightAtKill: 0,
    };

    for (let round = 1; round <= ROUNDS; round++) {
      await addDayOfSlots(app, schedule, daysAhead(10 + round));
      const slotIds = (await slotIdsOf(app, schedule)).filter((id) => !used.has(id));
      expect(slotIds).toHaveLength(95);
      for (const id of slotIds) used.add(id);

      const victim = app;
      const burst = await bookingBurst(victim, schedule, slotIds, {
        label: `R${round}`,
        concurrency: 16,
        raceEvery: 5,
        stopAfter: 15 * round,
        stop: () => victim.child.kill('SIGKILL'),
      });
      expect(await victim.exited).toBeNull(); // killed by the signal
      totals.kills++;
      expect(burst.unexpected).toEqual([]);
      expect(burst.unavailable).toBe(0);
      expect(burst.acknowledged.length).toBeGreaterThanOrEqual(15 * round);
      expect(burst.inFlightAtStop, 'requests in flight when the kill came').toBeGreaterThan(0);

      const audit = await withSql((run) => auditBookings(run, burst.attempts, burst.acknowledged));
      expect(audit.lost).toEqual([]);
      expect(audit.checked).toBe(burst.acknowledged.length);
      expect(audit.halfWritten).toBe(0);
      expect(audit.constraintValidated).toBe(true);
      expect(audit.acknowledgedTwice).toEqual([]);
      expect(audit.foreign).toBe(0);

      app = await startAppProcess(env);
      expect(await bookingsMissingOverHttp(app, burst.acknowledged)).toEqual([]);

      totals.attempts += burst.attempts.length;
      totals.acknowledged += burst.acknowledged.length;
      totals.checked += audit.checked;
      totals.lost += audit.lost.length;
      totals.refused += burst.refused;
      totals.unanswered += burst.unanswered;
      totals.committedUnacknowledged += audit.committedUnacknowledged;
      totals.inFlightAtKill += burst.inFlightAtStop;
    }

    // The restarted server takes bookings as before.
    const fresh = (await slotIdsOf(app, schedule)).filter((id) => !used.has(id));
    expect(fresh).toEqual([]);
    await addDayOfSlots(app, schedule, daysAhead(20));
    const [open] = (await slotIdsOf(app, schedule)).filter((id) => !used.has(id));
    expect((await claimAsNewVisitor(app, schedule, open!, 'After the crashes')).status).toBe(200);

    console.log(
      `crash test (${kind}): ${totals.kills} SIGKILLs with ${totals.inFlightAtKill} requests in flight; ${totals.attempts} booking requests, ` +
        `${totals.acknowledged} acknowledged, ${totals.checked} checked after restart, ${totals.lost} lost; ${totals.refused} refused (lost a race), ` +
        `${totals.unanswered} unanswered, of which ${totals.committedUnacknowledged} committed`,
    );
  });
});
