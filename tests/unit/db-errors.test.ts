/**
 * Telling "the database is unreachable or dropped us" (answer 503, try again) from "the database
 * refused this query" (a bug or a rule: 500 or a 4xx upstream), through drizzle's wrapping.
 */
import { DrizzleQueryError, sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../../src/db/client.ts';
import { isDatabaseUnavailable } from '../../src/db/errors.ts';
import { freePort } from '../helpers/process.ts';
import { SETUP_TIMEOUT_MS } from '../helpers/patience.ts';

const pgError = (fields: Record<string, string>) => Object.assign(new Error('server said no'), fields);

describe('isDatabaseUnavailable', () => {
  it('is true for ended sessions, connection exceptions, shutdowns and broken sockets, however wrapped', () => {
    const unavailable = [
      pgError({ code: '57P01', severity: 'FATAL' }), // terminating connection due to administrator command
      pgError({ code: '57P02', severity: 'FATAL' }), // crash shutdown
      pgError({ code: '57P03', severity: 'FATAL' }), // the database system is starting up
      pgError({ code: '55000', severity: 'FATAL' }), // database is not currently accepting connections
      pgError({ code: '08006', severity: 'ERROR' }),
      // node-postgres: no code, only the message.
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated'),
      new Error('Connection terminated due to connection timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('Client was closed and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Cannot use a pool after calling end on the pool'),
      pgError({ code: 'ECONNREFUSED' }),
      pgError({ code: 'ECONNRESET' }),
      Object.assign(new AggregateError([pgError({ code: 'ECONNREFUSED' })]), {}),
    ];
    for (const error of unavailable) {
      expect(isDatabaseUnavailable(error), JSON.stringify(error)).toBe(true);
      expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], error as Error))).toBe(true);
    }
  });

  it('is false for queries the database refused, and for errors that are not the database’s', () => {
    for (const error of [
      pgError({ code: '23505', severity: 'ERROR' }), // unique violation
      pgError({ code: '57014', severity: 'ERROR' }), // statement timeout / cancel
      pgError({ code: '40001', severity: 'ERROR' }), // serialization failure
      new TypeError('x is undefined'),
      new Error('Connection terminated unexpectedly, and then some'), // not the driver's own words
      pgError({ code: '42601', severity: 'ERROR', message: 'Connection terminated unexpectedly' }), // a server error, whatever it says
      'a string',
      null,
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], error as Error))).toBe(false);
    }
  });

  it(
    'recognises what node-postgres really throws when nothing listens or a connect times out, and not a real constraint violation',
    async () => {
      const port = await freePort();
      const pool = new pg.Pool({
        connectionString: `postgres://nobody@127.0.0.1:${port}/none`,
        max: 1,
        connectionTimeoutMillis: 2000,
      });
      const refused = await pool.query('select 1').catch((e: unknown) => e);
      await pool.end();
      expect(isDatabaseUnavailable(refused)).toBe(true);

      // A server that accepts the connection and never answers: the connect times out.
      const { createServer } = await import('node:net');
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const silentPort = (silent.address() as import('node:net').AddressInfo).port;
      const slowPool = new pg.Pool({
        connectionString: `postgres://nobody@127.0.0.1:${silentPort}/none`,
        max: 1,
        connectionTimeoutMillis: 200,
      });
      const timedOut = await slowPool.query('select 1').catch((e: unknown) => e);
      await slowPool.end();
      silent.close();
      expect(String(timedOut)).toMatch(/timeout/);
      expect(isDatabaseUnavailable(timedOut)).toBe(true);

      const handle = await openEmbeddedDatabase();
      try {
        await handle.db.execute(sql`CREATE TABLE t (id int PRIMARY KEY)`);
        await handle.db.execute(sql`INSERT INTO t VALUES (1)`);
        const duplicate = await handle.db.execute(sql`INSERT INTO t VALUES (1)`).catch((e: unknown) => e);
        expect(duplicate).toBeInstanceOf(Error);
        expect(isDatabaseUnavailable(duplicate)).toBe(false);
      } finally {
        await handle.close();
      }
    },
    SETUP_TIMEOUT_MS,
  ); // creates a new embedded database (initdb), seconds on a slow day
});
