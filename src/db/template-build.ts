/**
 * Builds what a database template holds: a PGlite data folder with every migration applied, closed
 * cleanly so that a copy of it opens like any persisted folder (no recovery, no initdb).
 */
import { mkdirSync } from 'node:fs';
import { openEmbeddedDatabase } from './client.ts';
import { migrateDatabase } from './migrate.ts';

/** Creates a migrated PGlite database in `dataDir` (a new, empty folder) and closes it. */
export async function buildMigratedDataFolder(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const handle = await openEmbeddedDatabase({ dataDir });
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
}
