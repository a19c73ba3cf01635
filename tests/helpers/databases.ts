/**
 * Test databases: in-memory PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. Each test
 * file gets its own database (PGlite loaded from the migrated template; PostgreSQL cloned from the
 * template database under a unique name), so files running in parallel never clobber each other.
 */
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { type DatabaseHandle, openEmbeddedDatabase, openPostgresDatabase } from '../../src/db/client.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** The kinds to run database tests on in this run. */
export const databaseKinds: DatabaseKind[] = inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends DatabaseHandle {
  /** Empties every table (between tests). */
  reset(): Promise<void>;
  /** Closes and, for PostgreSQL, drops the database. */
  destroy(): Promise<void>;
  /** PostgreSQL only: the database's URL (for a second app process). */
  url?: string;
}

/** Every table (tests empty and snapshot them). */
const TEST_TABLES = ['slots', 'schedules', 'notifications', 'commitments', 'invites', 'room_hour_overrides', 'room_weekly_hours', 'rooms', 'sessions', 'users'];

export async function openTestDatabase(kind: DatabaseKind, options: { max?: number } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const blob = new Blob([readFileSync(inject('pgliteTemplatePath'))]);
    const handle = await openEmbeddedDatabase({ loadDataDir: blob });
    return {
      ...handle,
      reset: async () => {
        await handle.pglite!.exec(`TRUNCATE ${TEST_TABLES.join(', ')} CASCADE`);
      },
      destroy: () => handle.close(),
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  const template = inject('postgresTemplate');
  if (!base || !template) throw new Error('PostgreSQL tests need TEST_DATABASE_URL');
  const name = `ipt_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  // CREATE DATABASE … TEMPLATE needs the template idle; files starting together take turns.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openPostgresDatabase(url.toString(), { max: options.max ?? 10 });
  return {
    ...handle,
    url: url.toString(),
    reset: async () => {
      await handle.sql!.unsafe(`TRUNCATE ${TEST_TABLES.join(', ')} CASCADE`);
    },
    destroy: async () => {
      await handle.close();
      const drop = postgres(base, { max: 1, onnotice: () => {} });
      await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/**
 * Opens a database for the enclosing describe block, empties it before each test and drops it
 * after the block. Read `.current` inside tests and hooks.
 */
export function useTestDatabase(kind: DatabaseKind, options: { max?: number } = {}): { readonly current: TestDatabase } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(kind, options);
  });
  afterAll(async () => {
    await database?.destroy();
  });
  beforeEach(async () => {
    await database!.reset();
  });
  return {
    get current() {
      if (!database) throw new Error('database not open yet: use it inside tests and hooks');
      return database;
    },
  };
}
