/**
 * A transaction whose backend dies between two of its statements (needs TEST_DATABASE_URL). The
 * move frees the visitor's old slot and claims the new one in one transaction; a seam after its
 * first statement lets the test end that backend there, then lets the callback go on. Nothing of
 * the transaction may survive and none of its later statements may run elsewhere: the move fails,
 * the old booking stays, the new slot stays open. postgres.js 3.4.9 failed this: the callback's
 * later statements ran on the replacement connection, outside any transaction, and the half-move
 * was kept (porsager/postgres #1155, #1215). Other requests use the pool (of two) while the
 * callback waits, as they would in the app.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { makeSchedule, makeSlots, visitorHash } from '../helpers/fixtures.ts';
import { TEST_NOW } from '../helpers/app.ts';
import { isDatabaseUnavailable } from '../../src/db/errors.ts';
import { claimSlot, findCurrentBooking } from '../../src/domain/bookings.ts';
import { moveBooking, moveSeam } from '../../src/domain/booking-moves.ts';
import { findSlot } from '../../src/domain/slots.ts';

const base = process.env.TEST_DATABASE_URL;
const START = new Date('2027-03-16T15:00:00Z');

describe.skipIf(!base)(
  `a transaction cut between its statements${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    let database: TestDatabase;
    let admin: pg.Client;

    beforeAll(async () => {
      database = await openTestDatabase('postgres', { max: 2 });
      admin = new pg.Client({ connectionString: base, application_name: 'ipt-cut-test' });
      await admin.connect();
    });

    afterEach(() => {
      delete moveSeam.afterLock;
      delete moveSeam.callbackEnded;
    });

    afterAll(async () => {
      await admin?.end();
      await database?.close();
    });

    const databaseName = () => new URL(database.url!).pathname.slice(1);

    /** The pid of this database's backend that sits idle inside a transaction, once there is one. */
    async function backendInTransaction(): Promise<number> {
      let pid = 0;
      await expect
        .poll(async () => {
          const { rows } = await admin.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'`,
            [databaseName()],
          );
          pid = rows[0]?.pid ?? 0;
          return rows.length;
        })
        .toBe(1);
      return pid;
    }

    it('keeps nothing of a move whose backend ends after its lock, and runs none of its later statements outside it', async () => {
      const { db } = database;
      const { schedule } = await makeSchedule(db);
      const [from, to] = await makeSlots(db, schedule.id, START, 2);
      const ann = visitorHash();
      const claimed = await claimSlot(db, {
        scheduleId: schedule.id,
        slotId: from!.id,
        visitorHash: ann,
        booking: { name: 'Ann', email: '' },
        now: TEST_NOW,
      });
      expect(claimed.ok).toBe(true);

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reached = false;
      let ended = false;
      moveSeam.afterLock = async () => {
        reached = true;
        await released;
      };
      moveSeam.callbackEnded = () => {
        ended = true;
      };
      const move = moveBooking(db, { scheduleId: schedule.id, toSlotId: to!.id, visitorHash: ann, now: TEST_NOW }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      await expect.poll(() => reached).toBe(true);
      const pid = await backendInTransaction();
      const { rows } = await admin.query<{ ended: boolean }>('SELECT pg_terminate_backend($1) AS ended', [pid]);
      expect(rows[0]?.ended).toBe(true);
      // The backend is gone before the callback goes on.
      await expect
        .poll(async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount)
        .toBe(0);
      // Other requests come and go meanwhile, two at a time: one takes the spare connection, the
      // other needs another (the pool may open one anew in place of the transaction's).
      for (let round = 0; round < 2; round++) {
        const others = await Promise.all([findSlot(db, schedule.id, from!.id), findSlot(db, schedule.id, to!.id)]);
        expect(others.map((slot) => slot?.id)).toEqual([from!.id, to!.id]);
      }
      release();

      const outcome = await move;
      // The callback has run its course (its later statements failed, or ran somewhere).
      await expect.poll(() => ended).toBe(true);
      // The move failed as the database being unavailable (a humane 503), not as a success or a 500.
      expect('error' in outcome ? isDatabaseUnavailable(outcome.error) : outcome.result).toBe(true);
      delete moveSeam.afterLock;
      // Whatever the driver still had queued for the dead transaction has settled by now.
      await findSlot(db, schedule.id, from!.id);

      // The old booking stays where it was; the new slot is still open.
      expect((await findSlot(db, schedule.id, from!.id))?.booking?.name).toBe('Ann');
      expect((await findSlot(db, schedule.id, to!.id))?.booking).toBeNull();
      expect((await findCurrentBooking(db, schedule.id, ann, TEST_NOW))?.id).toBe(from!.id);
      // And the pool still works: the same move, without the cut, goes through.
      const again = await moveBooking(db, {
        scheduleId: schedule.id,
        toSlotId: to!.id,
        visitorHash: ann,
        now: TEST_NOW,
      });
      expect(again.ok).toBe(true);
    });
  },
);
