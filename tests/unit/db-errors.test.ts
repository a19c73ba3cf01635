/**
 * Telling "the database is unreachable or dropped us" (answer 503, try again) from "the database
 * refused this query" (a bug or a rule: 500 or a 4xx upstream), through drizzle's wrapping.
 */
import { DrizzleQueryError, sql } from 'drizzle-orm';
import postgres from 'postgres';
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
      pgError({ code: 'CONNECTION_CLOSED' }),
      pgError({ code: 'CONNECTION_DESTROYED' }),
      pgError({ code: 'CONNECT_TIMEOUT' }),
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
      'a string',
      null,
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], error as Error))).toBe(false);
    }
  });

  it('recognises what postgres.js really throws when nothing listens, and not a real constraint violation', async () => {
    const port = await freePort();
    const client = postgres(`postgres://nobody@127.0.0.1:${port}/none`, { max: 1, connect_timeout: 2 });
    const refused = await client`select 1`.catch((e: unknown) => e);
    await client.end({ timeout: 0 });
    expect(isDatabaseUnavailable(refused)).toBe(true);

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
  }, SETUP_TIMEOUT_MS); // creates a new embedded database (initdb), seconds on a slow day
});
