/**
 * The PostgreSQL bus notices a LISTEN that stopped delivering while its connection stays up (what
 * is left when postgres.js gives up re-listening after a cut: porsager/postgres#1223): its own
 * pings stop coming back, so it listens again and asks for a full resync. Needs TEST_DATABASE_URL.
 */
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/realtime/bus.ts';
import { createPostgresBus } from '../../src/realtime/pg-bus.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)(`the bus's LISTEN watchdog${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`, () => {
  let database: TestDatabase;
  let bus: Bus | undefined;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await bus?.close();
    await database?.destroy();
  });

  it('listens again and resyncs when its pings stop coming back, and only then', async () => {
    const errors: string[] = [];
    bus = await createPostgresBus(database.sql!, { channel: 'ipt_watchdog_test', onError: (e) => errors.push(String(e)), pingEveryMs: 400 });
    const received: string[] = [];
    let resyncs = 0;
    bus.subscribe((topic) => received.push(topic));
    bus.onResync(() => resyncs++);

    await bus.publish('first', { type: 'x' });
    await expect.poll(() => received).toEqual(['first']);
    // Pings come and go unseen by listeners, and cause no resync while they come back.
    await new Promise((r) => setTimeout(r, 1500));
    expect(received).toEqual(['first']);
    expect(resyncs).toBe(0);

    // The LISTEN goes away on its connection, which stays open: nothing closes, nothing reconnects.
    await (database.sql!.listen as unknown as { sql: postgres.Sql }).sql`UNLISTEN *`;
    await bus.publish('lost', { type: 'x' });
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toEqual(['first']);

    await expect.poll(() => resyncs, { timeout: 3000 }).toBe(1);
    expect(errors.join('\n')).toContain('notifications on ipt_watchdog_test stopped arriving; listening again');
    await bus.publish('after', { type: 'x' });
    await expect.poll(() => received).toEqual(['first', 'after']);
  });
});
