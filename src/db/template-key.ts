/**
 * The name of the database template that fits this checkout: a hash of everything that decides
 * what a migrated PGlite data folder holds. A new migration, an edited one, or another PGlite (its
 * on-disk format and its extensions) or drizzle-orm (its migrations table) gives another name, so
 * a template is never used for a schema it was not built from.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fromRoot } from '../paths.ts';

export interface TemplateInputs {
  /** The folder the migrator reads (drizzle/). */
  migrationsFolder: string;
  pgliteVersion: string;
  drizzleVersion: string;
}

/** Bump when the template's layout or the way it is built changes. */
const TEMPLATE_FORMAT = 1;

/** The installed version of a package, found from its entry point (its package.json is not exported). */
export function installedVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: unknown;
      };
      if (manifest.name === name && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here (or not readable): keep climbing
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the version of ${name}`);
    dir = parent;
  }
}

export function currentTemplateInputs(): TemplateInputs {
  return {
    migrationsFolder: fromRoot('drizzle'),
    pgliteVersion: installedVersion('@electric-sql/pglite'),
    drizzleVersion: installedVersion('drizzle-orm'),
  };
}

/**
 * `pglite-<version>-<hash>`: the hash covers the migration journal and the SQL of every migration
 * it lists (what drizzle's migrator reads), PGlite's version and drizzle-orm's.
 */
export function templateKey(inputs: TemplateInputs = currentTemplateInputs()): string {
  const hash = createHash('sha256');
  const journal = readFileSync(join(inputs.migrationsFolder, 'meta', '_journal.json'), 'utf8');
  hash.update(`format ${TEMPLATE_FORMAT}\npglite ${inputs.pgliteVersion}\ndrizzle-orm ${inputs.drizzleVersion}\n`);
  hash.update(journal);
  for (const entry of (JSON.parse(journal) as { entries: { tag: string }[] }).entries) {
    hash.update(`\n${entry.tag}\n`);
    hash.update(readFileSync(join(inputs.migrationsFolder, `${entry.tag}.sql`)));
  }
  return `pglite-${inputs.pgliteVersion}-${hash.digest('hex').slice(0, 16)}`;
}
