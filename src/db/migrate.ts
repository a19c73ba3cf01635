/** Applies the SQL migrations in drizzle/ (made by drizzle-kit, committed). */
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
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
  // A client of exactly one connection, so the lock, the migrations and the unlock share it.
  const connection = postgres(handle.url!, { max: 1, onnotice: () => {} });
  try {
    await connection`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migratePostgres(drizzlePostgres({ client: connection }), { migrationsFolder });
    } finally {
      await connection`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await connection.end({ timeout: 5 });
  }
}
