/** Applies the SQL migrations in drizzle/ (made by drizzle-kit, committed). */
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { DatabaseHandle } from './client.ts';
import { fromRoot } from '../paths.ts';

export const migrationsFolder = fromRoot('drizzle');

/** Any fixed number: instances starting together take turns on this advisory lock. */
const MIGRATION_LOCK = 7_270_001;

export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'embedded') {
    await migratePglite(handle.db as never, { migrationsFolder });
    return;
  }
  // drizzle's migrator takes no lock: several instances starting at once would each apply the
  // same migration. A session-level advisory lock on one reserved connection serialises them; the
  // second finds everything applied and does nothing.
  // One client, so the lock, the migrations and the unlock share its connection.
  const connection = new pg.Client({ connectionString: handle.url!, connectionTimeoutMillis: 5000 });
  connection.on('error', () => {}); // a lost connection fails the query in flight, which throws below
  await connection.connect();
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migratePostgres(drizzleNodePostgres({ client: connection }), { migrationsFolder });
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await connection.end();
  }
}
