/**
 * The one database client: embedded PGlite (persisted in a folder, or in memory for tests) or
 * PostgreSQL through postgres.js. Both give the same drizzle API.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: 'embedded' | 'postgres';
  /** Where the data lives, for logs: a folder, "memory" or the server (without credentials). */
  location: string;
  close(): Promise<void>;
  /** Present in embedded mode (tests dump and reload it). */
  pglite?: PGlite;
  /** Present with PostgreSQL: the pool (LISTEN/NOTIFY uses it) and its URL (migrations). */
  sql?: postgres.Sql;
  url?: string;
}

// Each driver is loaded only when used: a process runs on one of them, and start-up time counts.

/** Embedded PostgreSQL: `dataDir` persists it; without one it lives in memory. */
export async function openEmbeddedDatabase(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<DatabaseHandle> {
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

/** PostgreSQL through postgres.js. */
export async function openPostgresDatabase(url: string, options: { max?: number } = {}): Promise<DatabaseHandle> {
  const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
  const sql = postgres(url, {
    max: options.max ?? 10,
    // "extension already exists, skipping" and friends are not worth a log line.
    onnotice: () => {},
    // Seconds before a closed connection tries again (postgres.js's default grows to 20 s, and a
    // query handed to that connection waits it out): while the database restarts, a few cheap
    // refused connects a second keep recovery within about a second of it being back. The LISTEN
    // connection inherits this.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2),
    // A handshake the server does not finish in 5 s will not finish: give up (the request gets a
    // 503) and close the socket. The default, 30 s, holds PostgreSQL's own shutdown: in a restart
    // it waits for the half-open connection attempts made while it was going down.
    connect_timeout: 5,
    // No array types to parse here (nothing reads or sends PostgreSQL arrays), and the query that
    // fetches them on every new connection rejects unhandled, which would end the process, when a
    // restart cuts that connection (porsager/postgres#1192, #1223).
    fetch_types: false,
  });
  const db = drizzlePostgres({ client: sql, schema, casing: 'snake_case' }) as unknown as Database;
  const { host, port, pathname } = new URL(url);
  return {
    db,
    kind: 'postgres',
    location: `${host}:${port || 5432}${pathname}`,
    sql,
    url,
    close: () => sql.end({ timeout: 5 }),
  };
}
