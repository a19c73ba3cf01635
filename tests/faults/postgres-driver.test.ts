/**
 * The database driver after a connection breaks under a query (needs TEST_DATABASE_URL). The
 * postgres.js we used before kept a connection's row counter and last error across queries and
 * reconnects: after a backend was ended mid-stream the next query failed with the old error and
 * the one after it came back with holes in front (an existing schedule read as missing). These
 * keep node-postgres to the same standard, and check that a pooled client whose server ends it
 * while idle is dropped and replaced, never ending the process. One connection in the pool, so
 * every query lands where the break was.
 */
import type pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { connectAdmin, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { pgErrorCode } from '../../src/db/errors.ts';
import { createSchedule, findScheduleByPublicId, type Schedule } from '../../src/domain/schedules.ts';

const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)(
  `the PostgreSQL driver after a connection breaks under a query${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    let database: TestDatabase;
    let admin: pg.Client;
    let schedule: Schedule;

    beforeAll(async () => {
      database = await openTestDatabase('postgres', { max: 1 });
      admin = await connectAdmin(base!);
      ({ schedule } = await createSchedule(database.db, { title: 'Driver check', hostName: '', timeZone: 'UTC' }));
    });

    afterAll(async () => {
      await admin?.end();
      await database?.close();
    });

    const backendPid = async () =>
      (await database.db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]!.pid;

    /** Rows as the app reads them: every index filled, none in front. */
    async function expectWholeRows(count: number) {
      const { rows } = await database.db.execute<{ n: number }>(sql`select n from generate_series(1, ${count}) as n`);
      expect(rows.length).toBe(count);
      expect([...rows].map((row) => row?.n)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    }

    it('answers the next queries in full after one fails after sending some rows', async () => {
      // Rows 1–3 arrive, row 4 divides by zero.
      const failed = await database.db.execute(sql`select n, 1 / (4 - n) as x from generate_series(1, 10) as n`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(pgErrorCode(failed)).toBe('22012');
      await expectWholeRows(5);
      expect((await findScheduleByPublicId(database.db, schedule.publicId))?.id).toBe(schedule.id);
    });

    it('answers the next queries in full after the server ends the connection mid-stream', async () => {
      const pid = await backendPid();
      // Two rows produced at once, then the third sleeps while the backend is ended.
      const cut = database.db
        .execute(sql`select n, pg_sleep(case when n = 3 then 600 else 0 end) from generate_series(1, 5) as n`)
        .then(
          () => 'finished',
          (error: unknown) => error,
        );
      const sleeping = async () =>
        (await admin.query(`select 1 from pg_stat_activity where pid = $1 and wait_event = 'PgSleep'`, [pid])).rowCount;
      await expect.poll(sleeping).toBe(1);
      await admin.query('select pg_terminate_backend($1)', [pid]);
      expect(await cut).not.toBe('finished');
      // The pool reconnects by itself; the first query after must not fail with the old error.
      expect((await findScheduleByPublicId(database.db, schedule.publicId))?.id).toBe(schedule.id);
      await expectWholeRows(5);
      expect((await findScheduleByPublicId(database.db, schedule.publicId))?.id).toBe(schedule.id);
    });

    it('drops an idle client its server ended, without ending the process, and answers on a new one', async () => {
      const pid = await backendPid();
      const errors: unknown[] = [];
      const onError = (error: unknown) => errors.push(error);
      database.pool!.on('error', onError);
      try {
        await admin.query('select pg_terminate_backend($1)', [pid]);
        // The pool hears of it while the client is idle, and drops that client.
        await expect.poll(() => errors.length).toBeGreaterThan(0);
        await expect.poll(() => database.pool!.totalCount).toBe(0);
      } finally {
        database.pool!.off('error', onError);
      }
      expect((await findScheduleByPublicId(database.db, schedule.publicId))?.id).toBe(schedule.id);
      expect(await backendPid()).not.toBe(pid);
      await expectWholeRows(5);
    });
  },
);
