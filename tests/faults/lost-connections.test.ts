/**
 * Lost database connections under live viewers, on PostgreSQL (needs TEST_DATABASE_URL): the app
 * process runs on a database this file creates, with a host and a visitor watching live, and the
 * test ends the app's backends with pg_terminate_backend() (only that database's, never its own
 * connection). The app recovers by itself, its LISTEN connection comes back, viewers get the full
 * state (so a booking whose notification was lost still reaches them) and later bookings arrive
 * live. A request caught mid-query, or sent while the database refuses connections, answers a
 * human 503 page, and nothing half-done is kept.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT_MS, STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { bookSilently } from '../helpers/booking-burst.ts';
import { textOf } from '../helpers/http.ts';
import { connectAdmin, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { type ScheduleViewers, watchSchedule } from '../helpers/live-viewers.ts';
import { type AppProcess, startAppProcess } from '../helpers/process.ts';
import {
  addDayOfSlots,
  claimAsNewVisitor,
  createRemoteSchedule,
  daysAhead,
  getPage,
  postForm,
  type RemoteSchedule,
  slotIdsOf,
  statusesUntilOk,
} from '../helpers/remote.ts';
import { paths } from '../../views/paths.ts';

const base = process.env.TEST_DATABASE_URL;
/** The test's own connection, spared when the app's backends are ended. */
const TEST_APPLICATION = 'ipt-fault-test';

describe.skipIf(!base)(
  `lost database connections under live viewers${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    let database: TestDatabase;
    let control: pg.Client;
    /** On the server's base database: PostgreSQL will not disallow connections to the current one. */
    let admin: pg.Client;
    let app: AppProcess;
    let schedule: RemoteSchedule;
    let slotIds: string[];
    let viewers: ScheduleViewers;
    let nextSlot = 0;
    const takeSlot = () => slotIds[nextSlot++]!;

    beforeAll(async () => {
      database = await openTestDatabase('postgres');
      control = await connectAdmin(database.url!, TEST_APPLICATION);
      admin = await connectAdmin(base!);
      app = await startAppProcess({ DATABASE_URL: database.url!, BOOKING_RATE_LIMIT: '100000' });
      schedule = await createRemoteSchedule(app, 'Lost connections');
      await addDayOfSlots(app, schedule, daysAhead(8));
      slotIds = await slotIdsOf(app, schedule);
      viewers = await watchSchedule(app, schedule);
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      viewers?.close();
      await app?.stop('SIGKILL');
      await admin?.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`).catch(() => {});
      await admin?.end().catch(() => {});
      await control?.end().catch(() => {});
      await database?.destroy();
    });

    const databaseName = () => new URL(database.url!).pathname.slice(1);

    /** Runs `work` between BEGIN and COMMIT on `client`; ROLLBACK if it throws. */
    async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
      await client.query('BEGIN');
      try {
        const result = await work();
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }

    /** Ends every backend of this test's database except the test's own; returns how many. */
    async function terminateAppBackends(): Promise<number> {
      const { rows } = await control.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`,
        [databaseName(), TEST_APPLICATION],
      );
      return rows.filter((r) => r.ended).length;
    }

    const marks = () => viewers.mark();
    /** Both viewers show the booking: the host its name, the visitor the slot as booked. */
    const viewersSee = (slotId: string, name: string, from: [number, number], timeoutMs?: number) =>
      viewers.see(slotId, name, from, timeoutMs);

    it('recovers by itself: requests succeed, the listener comes back, viewers resync and then get live pushes', async () => {
      // Live as usual.
      let from = marks();
      const before = takeSlot();
      expect((await claimAsNewVisitor(app, schedule, before, 'Before the cut')).status).toBe(200);
      await viewersSee(before, 'Before the cut', from);

      // A booking nobody is notified of: it must reach the viewers only through the resync.
      from = marks();
      const silent = takeSlot();
      await bookSilently(control, silent, 'Notification lost');
      // A booking through the app after it, seen live, shows the silent one was not announced.
      const marker = takeSlot();
      expect((await claimAsNewVisitor(app, schedule, marker, 'Announced after the silent one')).status).toBe(200);
      await viewersSee(marker, 'Announced after the silent one', from);
      expect(viewers.host.messages.slice(from[0]).some((m) => m.includes('Notification lost'))).toBe(false);

      const ended = await terminateAppBackends();
      expect(ended).toBeGreaterThanOrEqual(2); // at least the pool's connection and the LISTEN connection
      await viewersSee(silent, 'Notification lost', from);

      // Requests succeed again (the pool reconnects), and the first one after the cut is never a 500.
      const statuses = await statusesUntilOk(app, paths.schedule(schedule.publicId));
      expect(statuses.at(-1)).toBe(200);
      expect(
        statuses.every((s) => s === 200 || s === 503),
        statuses.join(','),
      ).toBe(true);

      // The LISTEN connection is back: a booking through the app arrives live.
      from = marks();
      const after = takeSlot();
      expect((await claimAsNewVisitor(app, schedule, after, 'After the cut')).status).toBe(200);
      await viewersSee(after, 'After the cut', from, 5000);
      const {
        rows: [listening],
      } = await control.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'listen%'`,
        [databaseName()],
      );
      expect(listening!.n).toBe(1);
    });

    it('answers a human 503 to a request whose connection is cut mid-query, keeps nothing of it, and takes the retry', async () => {
      const slotId = takeSlot();
      // Hold the slots table so the booking's UPDATE waits inside PostgreSQL.
      const held = inTransaction(control, async () => {
        await control.query('LOCK TABLE slots IN ACCESS EXCLUSIVE MODE');
        const booking = postForm(app, paths.claimSlot(schedule.publicId, slotId), { name: 'Cut mid-query', email: '' });
        for (let i = 0; ; i++) {
          const {
            rows: [waiting],
          } = await control.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            [databaseName()],
          );
          if (waiting!.n > 0) break;
          if (i > 100) throw new Error('the booking never reached the database');
          await new Promise((r) => setTimeout(r, 50));
        }
        await control.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`,
          [databaseName(), TEST_APPLICATION],
        );
        return booking;
      });
      const response = await held;
      const page = await response.text();
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(textOf(page)).toContain('We lost touch with our database for a moment');
      expect(textOf(page)).toContain('Your last action may not have been saved');
      expect(page).not.toMatch(/\bat .*\.(ts|mjs|js):\d+/); // no stack trace
      const {
        rows: [row],
      } = await control.query<{ booked: boolean }>('SELECT booking_id IS NOT NULL AS booked FROM slots WHERE id = $1', [
        slotId,
      ]);
      expect(row!.booked).toBe(false);

      const from = marks();
      expect((await claimAsNewVisitor(app, schedule, slotId, 'Cut mid-query')).status).toBe(200);
      await viewersSee(slotId, 'Cut mid-query', from);
    });

    it('answers 503 while the database refuses connections, and recovers all of it once it accepts them again', async () => {
      await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS false`);
      let reopened = false;
      try {
        expect(await terminateAppBackends()).toBeGreaterThanOrEqual(1);
        const refused = await postForm(app, paths.claimSlot(schedule.publicId, slotIds[nextSlot]!), {
          name: 'While refused',
          email: '',
        });
        expect(refused.status).toBe(503);
        expect(textOf(await refused.text())).toContain('We lost touch with our database for a moment');
        expect((await getPage(app, '/healthz')).status).toBe(503);

        // Meanwhile a booking lands that nobody is told about (written through the test's open connection).
        const from = marks();
        const silent = takeSlot();
        await bookSilently(control, silent, 'Booked during the outage');
        // The app keeps trying to reconnect, and fails: three more requests, three more refusals.
        for (let i = 0; i < 3; i++) expect((await getPage(app, '/healthz')).status).toBe(503);
        await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`);
        reopened = true;

        const statuses = await statusesUntilOk(app, '/healthz');
        expect(statuses.at(-1)).toBe(200);
        await viewersSee(silent, 'Booked during the outage', from, 15_000);
      } finally {
        if (!reopened) await admin.query(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`);
      }
      const from = marks();
      const after = takeSlot();
      expect((await claimAsNewVisitor(app, schedule, after, 'After the outage')).status).toBe(200);
      await viewersSee(after, 'After the outage', from, 5000);
    });
  },
);
