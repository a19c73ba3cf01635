/**
 * The database driver after a connection breaks under a query (needs TEST_DATABASE_URL).
 * postgres.js 3.4.9 kept a connection's row counter and last error across queries and reconnects:
 * after a backend was ended mid-stream (a restart, pg_terminate_backend), the next query on that
 * connection failed with the old error and the one after it came back with holes in front, so an
 * existing schedule read as missing and its page answered 404 (seen in the PostgreSQL restart
 * fault script). And a connection closed while a write was queued kept that write marked pending,
 * so each later start-up message on it was never sent: every reconnect hung until connect_timeout.
 * `npm install` mends both (src/tools/patch-postgres.mjs); these tests fail without. One connection
 * in the pool, so every query lands on the connection that broke.
 */
import net from 'node:net';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { pgErrorCode } from '../../src/db/errors.ts';
import { createSchedule, findScheduleByPublicId, type Schedule } from '../../src/domain/schedules.ts';

const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)(`the PostgreSQL driver after a connection breaks under a query${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`, { timeout: STORY_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let admin: postgres.Sql;
  let schedule: Schedule;

  beforeAll(async () => {
    database = await openTestDatabase('postgres', { max: 1 });
    admin = postgres(base!, { max: 1, onnotice: () => {} });
    ({ schedule } = await createSchedule(database.db, { title: 'Driver check', hostName: '', timeZone: 'UTC' }));
  });

  afterAll(async () => {
    await admin?.end();
    await database?.close();
  });

  /** Rows as the app reads them: every index filled, none in front. */
  async function expectWholeRows(count: number) {
    const rows = (await database.db.execute(sql`select n from generate_series(1, ${count}) as n`)) as unknown as { n: number }[];
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
    const [{ pid }] = (await database.db.execute(sql`select pg_backend_pid() as pid`)) as unknown as [{ pid: number }];
    // Two rows produced at once, then the third sleeps while the backend is ended.
    const cut = database.db.execute(sql`select n, pg_sleep(case when n = 3 then 600 else 0 end) from generate_series(1, 5) as n`).then(
      () => 'finished',
      (error: unknown) => error,
    );
    const sleeping = async () => (await admin`select 1 from pg_stat_activity where pid = ${pid} and wait_event = 'PgSleep'`).length;
    await expect.poll(sleeping).toBe(1);
    await admin`select pg_terminate_backend(${pid})`;
    expect(await cut).not.toBe('finished');
    // The pool reconnects by itself; the first query after must not fail with the old error.
    expect((await findScheduleByPublicId(database.db, schedule.publicId))?.id).toBe(schedule.id);
    await expectWholeRows(5);
    expect((await findScheduleByPublicId(database.db, schedule.publicId))?.id).toBe(schedule.id);
  });

  it('reconnects at once after the socket closes between a write being queued and sent', async () => {
    const { hostname, port } = new URL(base!);
    let current: net.Socket | undefined;
    // postgres.js takes a connected socket from `socket` (an option its types leave out); keeping
    // it lets the test close it at a chosen moment, as a server going away does.
    const options = {
      max: 1,
      // Long, so that waiting it out (the bug) is minutes away from reconnecting at once.
      connect_timeout: 300,
      fetch_types: false,
      onnotice: () => {},
      socket: () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(Number(port || 5432), hostname, () => resolve(socket));
          socket.once('error', reject);
          current = socket;
        }),
    };
    const sql = postgres(base!, options);
    try {
      await sql`select 1`;
      // The query's bytes wait for the next turn of the event loop; the socket closes first.
      const cut = sql`select 2`.then(
        () => 'answered',
        (error: { code?: string }) => error.code,
      );
      await null;
      current!.destroy();
      current!.emit('close', false);
      expect(await cut).toBe('CONNECTION_CLOSED');
      const started = performance.now();
      const [row] = await sql`select 3 as n`;
      expect(row?.n).toBe(3);
      expect(performance.now() - started).toBeLessThan(60_000); // not the 300 s connect_timeout
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
