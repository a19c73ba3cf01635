/**
 * Runs once before all test files: builds migrated database templates, so each test file starts
 * from a ready schema in about a second instead of creating and migrating its own.
 *  - PGlite: the app's cached template for new data folders (src/db/template.ts; built on the
 *    first run after a migration changes, then reused), as a tarball that files load (loadDataDir).
 *  - PostgreSQL (only with TEST_DATABASE_URL): a migrated template database that files clone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgresDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { buildMigratedDataFolder } from '../../src/db/template-build.ts';
import { findOrBuildTemplate } from '../../src/db/template.ts';
import { buildServer } from '../../src/tools/build.mjs';
import { tarFolder } from './tar-folder.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    postgresTemplate: string | null;
  }
}

/** Per run, so two test runs on one PostgreSQL (two checkouts, say) never drop each other's template. */
const POSTGRES_TEMPLATE = `ipt_test_template_${process.pid}`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function setup(project: TestProject) {
  // Tests that start the app as a process run the same build `npm start` runs.
  await buildServer();

  const dir = mkdtempSync(join(tmpdir(), 'ipt-test-'));
  let pgliteTemplate: string;
  try {
    pgliteTemplate = await findOrBuildTemplate({ log: (line) => console.log(line) });
  } catch (error) {
    console.log(
      `No cached database template (${error instanceof Error ? error.message : error}): building one for this run`,
    );
    pgliteTemplate = join(dir, 'data');
    await buildMigratedDataFolder(pgliteTemplate);
  }
  const path = join(dir, 'template.tar');
  writeFileSync(path, tarFolder(pgliteTemplate));
  project.provide('pgliteTemplatePath', path);

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // Databases left by runs that were killed (their process is gone) are dropped.
    const leftovers = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname ~ '^ipt_test_(template_)?[0-9]+'`,
    );
    for (const { datname } of leftovers.rows) {
      const pid = Number(/^ipt_test_(?:template_)?(\d+)/.exec(datname)![1]);
      if (!isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${POSTGRES_TEMPLATE}`);
    await admin.end();
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${POSTGRES_TEMPLATE}`;
    const template = await openPostgresDatabase(templateUrl.toString(), { max: 1 });
    await migrateDatabase(template);
    await template.close();
    project.provide('postgresTemplate', POSTGRES_TEMPLATE);
  } else {
    project.provide('postgresTemplate', null);
  }

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (url) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${POSTGRES_TEMPLATE} WITH (FORCE)`);
      await admin.end();
    }
  };
}
