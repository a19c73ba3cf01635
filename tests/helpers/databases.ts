/**
 * Test databases: in-memory PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. Each test
 * file gets its own database (PGlite loaded from the migrated template; PostgreSQL cloned from the
 * template database under a unique name), so files running in parallel never clobber each other.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
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
const TEST_TABLES = [
  'attempt_limits',
  'slots',
  'schedules',
  'notifications',
  'commitments',
  'invites',
  'room_hour_overrides',
  'room_weekly_hours',
  'rooms',
  'sessions',
  'users',
];

/** Runs `work` on a client of its own connected to `url`, then closes it. */
export async function adminQuery<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
  applicationName = 'ipt-test-admin',
): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => {}); // a lost connection fails the query in flight
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A client of the test's own on `url`, connected, for tests that hold one open. */
export async function connectAdmin(url: string, applicationName = 'ipt-test-admin'): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName });
  client.on('error', () => {});
  await client.connect();
  return client;
}

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
  // CREATE DATABASE … TEMPLATE needs the template idle; files starting together take turns.
  await adminQuery(base, async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openPostgresDatabase(url.toString(), { max: options.max ?? 10 });
  return {
    ...handle,
    url: url.toString(),
    reset: async () => {
      await handle.pool!.query(`TRUNCATE ${TEST_TABLES.join(', ')} CASCADE`);
    },
    destroy: async () => {
      await handle.close();
      await adminQuery(base, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * Opens a database for the enclosing describe block, empties it before each test and drops it
 * after the block. Read `.current` inside tests and hooks.
 */
export function useTestDatabase(
  kind: DatabaseKind,
  options: { max?: number } = {},
): { readonly current: TestDatabase } {
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
