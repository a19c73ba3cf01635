/**
 * The PostgreSQL bus notices a LISTEN that stopped delivering while its connection stays up (an
 * UNLISTEN, a pooling proxy that dropped it): its own pings stop coming back, so it listens again
 * on a new connection and asks for a full resync. And when its listening connection is cut, it
 * connects again, listens again and resyncs. Needs TEST_DATABASE_URL.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../src/realtime/bus.ts';
import { createPostgresBus } from '../../src/realtime/pg-bus.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { adminQuery, connectAdmin, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';

const base = process.env.TEST_DATABASE_URL;
const CHANNEL = 'ipt_watchdog_test';
/** A ping missing for one interval means a lost LISTEN: long enough that a slow day is not one. */
const PING_EVERY_MS = 1500;

describe.skipIf(!base)(
  `the bus's LISTEN watchdog${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    let database: TestDatabase;
    let bus: Bus | undefined;
    let spy: pg.Client | undefined;
    /** The bus's listening clients, newest last. */
    const listening: pg.Client[] = [];
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
      spy = await connectAdmin(database.url!);
      const seen: { t: string }[] = [];
      spy.on('notification', (message) => seen.push(JSON.parse(message.payload!) as { t: string }));
      await spy.query(`LISTEN ${CHANNEL}`);
      const pingsSeen = () => seen.filter((n) => n.t === '$ping').length;

      const createClient = () => {
        const client = new pg.Client({ connectionString: database.url!, application_name: 'ipt-bus-listen' });
        listening.push(client);
        return client;
      };
      bus = await createPostgresBus(
        { pool: database.pool!, url: database.url! },
        { channel: CHANNEL, onError: (e) => errors.push(String(e)), pingEveryMs: PING_EVERY_MS, createClient },
      );
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
      expect(listening).toHaveLength(1);
      await listening[0]!.query('UNLISTEN *');
      await bus.publish('lost', { type: 'x' });
      await expect.poll(() => seen.some((n) => n.t === 'lost')).toBe(true); // sent, to whoever listens

      await expect.poll(() => resyncs).toBe(1);
      expect(received).toEqual(['first']); // never delivered: the resync is what heals
      expect(errors.join('\n')).toContain(`notifications on ${CHANNEL} stopped arriving; listening again`);
      await bus.publish('after', { type: 'x' });
      await expect.poll(() => received).toEqual(['first', 'after']);
      expect(listening).toHaveLength(2); // on a new connection

      // The listening connection is cut: the bus connects again, listens again, resyncs.
      const { rows } = await listening[1]!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await adminQuery(database.url!, (admin) => admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]));
      await expect.poll(() => resyncs).toBe(2);
      expect(listening.length).toBeGreaterThanOrEqual(3);
      await bus.publish('reconnected', { type: 'x' });
      await expect.poll(() => received).toEqual(['first', 'after', 'reconnected']);
      expect(errors.join('\n')).toMatch(/terminating connection due to administrator command|Connection terminated/);
    });
  },
);
