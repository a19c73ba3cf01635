/**
 * The PostgreSQL bus notices a LISTEN that stopped delivering while its connection stays up (what
 * is left when postgres.js gives up re-listening after a cut: porsager/postgres#1223): its own
 * pings stop coming back, so it listens again and asks for a full resync. Needs TEST_DATABASE_URL.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/realtime/bus.ts';
import { createPostgresBus } from '../../src/realtime/pg-bus.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const base = process.env.TEST_DATABASE_URL;
const CHANNEL = 'ipt_watchdog_test';
/** A ping missing for one interval means a lost LISTEN: long enough that a slow day is not one. */
const PING_EVERY_MS = 1500;

describe.skipIf(!base)(`the bus's LISTEN watchdog${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`, { timeout: STORY_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let bus: Bus | undefined;
  let spy: postgres.Sql | undefined;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await bus?.close();
    await spy?.end();
    await database?.destroy();
  });

  it('listens again and resyncs when its pings stop coming back, and only then', async () => {
    const errors: string[] = [];
    // A connection of the test's own sees what goes through the channel, the bus's pings included.
    spy = postgres(database.url!, { max: 1, onnotice: () => {} });
    const seen: { t: string }[] = [];
    await spy.listen(CHANNEL, (payload) => seen.push(JSON.parse(payload) as { t: string }));
    const pingsSeen = () => seen.filter((n) => n.t === '$ping').length;

    bus = await createPostgresBus(database.sql!, { channel: CHANNEL, onError: (e) => errors.push(String(e)), pingEveryMs: PING_EVERY_MS });
    const received: string[] = [];
    let resyncs = 0;
    bus.subscribe((topic) => received.push(topic));
    bus.onResync(() => resyncs++);

    await bus.publish('first', { type: 'x' });
    await expect.poll(() => received).toEqual(['first']);
    // Pings come and go unseen by listeners, and cause no resync while they come back: a third
    // ping is only sent once the second has come back (else the bus would have listened again).
    await expect.poll(pingsSeen).toBeGreaterThanOrEqual(3);
    expect(received).toEqual(['first']);
    expect(resyncs).toBe(0);

    // The LISTEN goes away on its connection, which stays open: nothing closes, nothing reconnects.
    await (database.sql!.listen as unknown as { sql: postgres.Sql }).sql`UNLISTEN *`;
    await bus.publish('lost', { type: 'x' });
    await expect.poll(() => seen.some((n) => n.t === 'lost')).toBe(true); // sent, to whoever listens

    await expect.poll(() => resyncs).toBe(1);
    expect(received).toEqual(['first']); // never delivered: the resync is what heals
    expect(errors.join('\n')).toContain(`notifications on ${CHANNEL} stopped arriving; listening again`);
    await bus.publish('after', { type: 'x' });
    await expect.poll(() => received).toEqual(['first', 'after']);
  });
});
