/**
 * npm run seed: loads seeds/users.csv and seeds/rooms.csv into the configured database (DATABASE_URL,
 * else the embedded one in DATA_DIR). Idempotent: existing usernames and room names are left alone.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openEmbeddedDatabase, openPostgresDatabase } from '../db/client.ts';
import { DataFolderInUseError, lockDataFolderForProcess } from '../db/data-lock.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { fillNewDataFolder } from '../db/template.ts';
import { loadSeeds } from '../domain/seed.ts';

const config = loadConfig(process.env);
const database = config.databaseUrl
  ? await openPostgresDatabase(config.databaseUrl)
  : await (async () => {
      const dataDir = resolve(config.dataDir);
      mkdirSync(dataDir, { recursive: true });
      // Not while a server has the folder open: two processes on one embedded database corrupt it.
      try {
        lockDataFolderForProcess(dataDir);
      } catch (error) {
        if (!(error instanceof DataFolderInUseError)) throw error;
        console.error(error.message);
        process.exit(1);
      }
      // A new folder starts from the migrated template, as the server's does.
      if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await fillNewDataFolder(dataDir, (line) => console.log(line));
      return openEmbeddedDatabase({ dataDir });
    })();
try {
  await migrateDatabase(database);
  const report = await loadSeeds(database.db);
  console.log(
    `Seeded ${database.kind === 'embedded' ? `the embedded database in ${database.location}` : `PostgreSQL at ${database.location}`}:`,
  );
  console.log(`  users added: ${report.usersAdded.join(', ') || 'none (all there already)'}`);
  console.log(`  rooms added: ${report.roomsAdded.join(', ') || 'none (all there already)'}`);
  console.log(`  demo logins: ${report.demoUsers.map((u) => `${u.username} / ${u.password}`).join(', ')}`);
} finally {
  await database.close();
}
