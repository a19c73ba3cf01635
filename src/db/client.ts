/**
 * The one database client: embedded PGlite (persisted in a folder, or in memory for tests) or
 * PostgreSQL through node-postgres. Both give the same drizzle API, and raw `db.execute()` answers
 * `{ rows }` on both.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<NodePgQueryResultHKT, Schema>;
/** The handle a transaction's callback gets: the same query API, on the transaction's connection. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DatabaseHandle {
  db: Database;
  kind: 'embedded' | 'postgres';
  /** Where the data lives, for logs: a folder, "memory" or the server (without credentials). */
  location: string;
  close(): Promise<void>;
  /** Present in embedded mode (tests dump and reload it). */
  pglite?: PGlite;
  /** Present with PostgreSQL: the pool (NOTIFY uses it) and its URL (migrations, LISTEN). */
  pool?: Pool;
  url?: string;
}

// Each driver is loaded only when used: a process runs on one of them, and start-up time counts.

/** Embedded PostgreSQL: `dataDir` persists it; without one it lives in memory. */
export async function openEmbeddedDatabase(
  options: { dataDir?: string; loadDataDir?: Blob } = {},
): Promise<DatabaseHandle> {
  const [{ PGlite }, { btree_gist }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('drizzle-orm/pglite'),
  ]);
  const extensions = { btree_gist };
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions,
  });
  const db = drizzlePglite({ client: pglite, schema, casing: 'snake_case' }) as unknown as Database;
  return {
    db,
    kind: 'embedded',
    location: options.dataDir ?? 'memory',
    pglite,
    close: () => pglite.close(),
  };
}

/** Messages a pool or client error is logged with (the process keeps running either way). */
export type DatabaseErrorLog = (error: Error) => void;

/**
 * PostgreSQL through node-postgres: a pool of clients; a transaction holds one client from BEGIN
 * to COMMIT, so a connection lost in between fails that transaction and nothing of it runs
 * anywhere else.
 */
export async function openPostgresDatabase(
  url: string,
  options: { max?: number; onError?: DatabaseErrorLog } = {},
): Promise<DatabaseHandle> {
  const [{ default: pg }, { drizzle: drizzleNodePostgres }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const onError = options.onError ?? ((error: Error) => console.error(`database: ${error.message}`));
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    // A handshake the server does not finish in 5 s will not finish: the request gets a 503.
    connectionTimeoutMillis: 5000,
    // Idle clients are closed after 30 s, so a pool that was busy shrinks back.
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away (a restart, an administrator ending backends) reports
  // it on the pool; without a listener that would end the process. The pool drops that client and
  // opens a new one when next needed.
  pool.on('error', (error) => onError(error));
  // A client checked out (inside a transaction, between two statements) has no pool listener:
  // its error is reported here, and the transaction's next statement fails ("not queryable").
  pool.on('connect', (client) => {
    client.on('error', (error) => onError(error));
  });
  const db = drizzleNodePostgres({ client: pool, schema, casing: 'snake_case' }) as unknown as Database;
  const { hostname, port, pathname } = new URL(url);
  return {
    db,
    kind: 'postgres',
    location: `${hostname}:${port || 5432}${pathname}`,
    pool,
    url,
    close: () => pool.end(),
  };
}
