/**
 * New embedded data folders start from a cached migrated template (src/db/template*.ts):
 *  - a database copied from the template equals one created and migrated in place, in schema and
 *    in the data the app's seeding puts in a new folder;
 *  - the template's key follows the migrations and the PGlite version;
 *  - the cache builds once per key, replaces other keys' templates, never uses a half-built or
 *    cut-short template, survives two builders racing, and an unwritable cache only costs speed;
 *  - the copy into a new folder is safe to cut short and never touches a folder holding other files.
 * The cache tests use a stand-in builder (a folder with a PG_VERSION): what they test is the
 * folder handling, which is the same whatever a template holds.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../../src/db/client.ts';
import { acquireDataLock, LOCK_FILE_NAME, type DataLock } from '../../src/db/data-lock.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { fillNewDataFolder, findOrBuildTemplate } from '../../src/db/template.ts';
import { ensureTemplate } from '../../src/db/template-cache.ts';
import { COPY_MARKER, copyTemplateInto } from '../../src/db/template-copy.ts';
import { currentTemplateInputs, templateKey } from '../../src/db/template-key.ts';
import { loadSeeds } from '../../src/domain/seed.ts';
import { dumpRows, dumpSchema, normalizeRows } from '../helpers/catalog.ts';

let scratch: string;
const locks: DataLock[] = [];
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ipt-template-test-'));
});
afterEach(() => {
  for (const lock of locks.splice(0)) lock.release();
  rmSync(scratch, { recursive: true, force: true });
});

/** A new data folder, locked by this process, as the server has it before it opens the database. */
function newLockedFolder(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  locks.push(acquireDataLock(dir));
  return dir;
}

/** Every file under a folder with its bytes, by relative path. */
function filesOf(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, filesOf(path, `${prefix}${entry.name}/`));
    else files[`${prefix}${entry.name}`] = readFileSync(path).toString('base64');
  }
  return files;
}

describe('a database born from the template', () => {
  it('equals one created and migrated in place, in schema and in the seeded data', { timeout: 180_000 }, async () => {
    // As the server does: lock, fill from the (cached) template, open, migrate, seed.
    const fromTemplate = newLockedFolder('from-template');
    expect(await fillNewDataFolder(fromTemplate, () => {})).toBe(true);
    const copied = await openEmbeddedDatabase({ dataDir: fromTemplate });
    // As it was before templates: PGlite creates the database in the new folder, then migrations.
    const inPlace = newLockedFolder('in-place');
    const created = await openEmbeddedDatabase({ dataDir: inPlace });
    try {
      for (const handle of [copied, created]) {
        await migrateDatabase(handle);
        await loadSeeds(handle.db);
      }
      expect(await dumpSchema(copied.pglite!)).toEqual(await dumpSchema(created.pglite!));
      const volatile = new Set(['created_at', 'updated_at', 'password_hash']);
      const rows = normalizeRows(await dumpRows(copied.pglite!), volatile);
      expect(rows).toEqual(normalizeRows(await dumpRows(created.pglite!), volatile));
      // The comparison saw the seeded rows and the migrations' bookkeeping, not two empty databases.
      expect(rows['public.users']!.length).toBeGreaterThanOrEqual(5);
      expect(rows['public.rooms']!.length).toBeGreaterThanOrEqual(5);
      expect(rows['drizzle.__drizzle_migrations']!.length).toBeGreaterThan(0);
    } finally {
      await copied.close();
      await created.close();
    }
  });
});

describe('the template key', () => {
  function drizzleCopy(): string {
    const folder = join(scratch, 'drizzle');
    cpSync(currentTemplateInputs().migrationsFolder, folder, { recursive: true });
    return folder;
  }

  it('is stable for the same migrations and versions, and names the PGlite version', () => {
    const inputs = { ...currentTemplateInputs(), migrationsFolder: drizzleCopy() };
    expect(templateKey(inputs)).toBe(templateKey());
    expect(templateKey()).toMatch(new RegExp(`^pglite-${inputs.pgliteVersion.replaceAll('.', '\\.')}-[0-9a-f]{16}$`));
  });

  it('changes with a new migration, an edited migration, another PGlite or another drizzle-orm', () => {
    const inputs = { ...currentTemplateInputs(), migrationsFolder: drizzleCopy() };
    const before = templateKey(inputs);
    const journalPath = join(inputs.migrationsFolder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
      entries: { idx: number; tag: string; when: number }[];
    };
    const last = journal.entries.at(-1)!;

    expect(templateKey({ ...inputs, pgliteVersion: '0.0.1' })).not.toBe(before);
    expect(templateKey({ ...inputs, drizzleVersion: '0.0.1' })).not.toBe(before);

    const sqlPath = join(inputs.migrationsFolder, `${last.tag}.sql`);
    writeFileSync(sqlPath, `${readFileSync(sqlPath, 'utf8')}\n-- edited\n`);
    const edited = templateKey(inputs);
    expect(edited).not.toBe(before);

    journal.entries.push({ ...last, idx: last.idx + 1, tag: '9999_added', when: last.when + 1 });
    writeFileSync(join(inputs.migrationsFolder, '9999_added.sql'), 'CREATE TABLE added (id integer);\n');
    writeFileSync(journalPath, JSON.stringify(journal));
    expect(templateKey(inputs)).not.toBe(edited);
  });
});

describe('the template cache', () => {
  let builds: string[];
  /** Stands in for initdb + migrations: a folder with a PG_VERSION and a note of what built it. */
  const build = async (dataDir: string) => {
    builds.push(dataDir);
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
    writeFileSync(join(dataDir, 'build'), String(builds.length));
  };
  beforeEach(() => {
    builds = [];
  });
  const cacheDir = () => join(scratch, 'cache');
  const listing = () => readdirSync(cacheDir()).sort();

  it('builds a template once per key and then reuses it', async () => {
    const first = await ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build });
    expect(first).toBe(join(cacheDir(), 'key-a', 'data'));
    expect(await ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build })).toBe(first);
    expect(builds).toHaveLength(1);
    expect(listing()).toEqual(['key-a']);
  });

  it('builds again for a changed key and removes the templates of other keys', async () => {
    await ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build });
    const second = await ensureTemplate({ cacheDir: cacheDir(), key: 'key-b', build });
    expect(builds).toHaveLength(2);
    expect(readFileSync(join(second, 'build'), 'utf8')).toBe('2');
    expect(listing()).toEqual(['key-b']);
  });

  it('never uses a half-built template: one cut short in its build folder, or a folder without its manifest', async () => {
    mkdirSync(cacheDir());
    // A builder killed before its rename: its build folder, by a process that is gone.
    const abandoned = join(cacheDir(), '.build-key-a-999999999-0badc0de');
    mkdirSync(join(abandoned, 'data'), { recursive: true });
    writeFileSync(join(abandoned, 'data', 'PG_VERSION'), '17\n');
    // A folder in the key's place with data but no template.json (copied in by hand and cut short).
    mkdirSync(join(cacheDir(), 'key-a', 'data'), { recursive: true });
    writeFileSync(join(cacheDir(), 'key-a', 'data', 'PG_VERSION'), '17\n');

    const template = await ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build });
    expect(builds).toHaveLength(1);
    expect(readFileSync(join(template, 'build'), 'utf8')).toBe('1');
    expect(listing()).toEqual(['key-a']);
  });

  it('ignores a template whose manifest names another key', async () => {
    await ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build });
    cpSync(join(cacheDir(), 'key-a'), join(cacheDir(), 'key-b'), { recursive: true });
    await ensureTemplate({ cacheDir: cacheDir(), key: 'key-b', build });
    expect(builds).toHaveLength(2);
    expect(listing()).toEqual(['key-b']);
  });

  it('lets two builders race: both get the one template that won, and nothing else is left', async () => {
    // Neither build finishes before both have started.
    let started = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const racingBuild = async (dataDir: string) => {
      if (++started === 2) release();
      await bothStarted;
      await build(dataDir);
    };
    const [a, b] = await Promise.all([
      ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build: racingBuild }),
      ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build: racingBuild }),
    ]);
    expect(builds).toHaveLength(2);
    expect(a).toBe(b);
    expect(existsSync(join(a, 'PG_VERSION'))).toBe(true);
    expect(listing()).toEqual(['key-a']);
  });

  it('leaves nothing behind when a build fails, and the next call builds afresh', async () => {
    const failing = async (dataDir: string) => {
      mkdirSync(dataDir);
      writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
      throw new Error('initdb failed');
    };
    await expect(ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build: failing })).rejects.toThrow(
      'initdb failed',
    );
    expect(listing()).toEqual([]);
    await ensureTemplate({ cacheDir: cacheDir(), key: 'key-a', build });
    expect(listing()).toEqual(['key-a']);
  });

  it('when the cache cannot be written, a new folder is left for PGlite to create in place, with a log line', async () => {
    // A regular file where the cache's parent folder should be: nothing can be created under it
    // (a read-only file system or permissions give the same refusal, but root ignores permissions).
    writeFileSync(join(scratch, 'not-a-folder'), '');
    const unwritable = join(scratch, 'not-a-folder', 'cache');
    await expect(ensureTemplate({ cacheDir: unwritable, key: 'key-a', build })).rejects.toThrow(/ENOTDIR/);
    const dataDir = newLockedFolder('data');
    const log: string[] = [];
    expect(await fillNewDataFolder(dataDir, (line) => log.push(line), { cacheDir: unwritable, key: 'key-a' })).toBe(
      false,
    );
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/No database template .*ENOTDIR.*creating the new database in place/);
    expect(readdirSync(dataDir)).toEqual([LOCK_FILE_NAME]);
  });

  it('is where the app keeps it, with the current key, once the tests have started', async () => {
    // The tests' global setup builds (or finds) it, exactly as a first start would.
    const template = await findOrBuildTemplate();
    expect(template).toContain(join('node_modules', '.cache', 'inter-personal-time', templateKey(), 'data'));
    expect(existsSync(join(template, 'PG_VERSION'))).toBe(true);
  });
});

describe('copying the template into a new folder', () => {
  function template(): string {
    const dir = join(scratch, 'template');
    mkdirSync(join(dir, 'base', '1'), { recursive: true });
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    writeFileSync(join(dir, 'postgresql.conf'), 'x = 1\n');
    writeFileSync(join(dir, 'base', '1', '112'), Buffer.alloc(8192, 7));
    mkdirSync(join(dir, 'pg_tblspc'));
    return dir;
  }

  it('copies every file and folder, keeps the lock, and leaves no marker', async () => {
    const source = template();
    const dataDir = newLockedFolder('data');
    expect(await copyTemplateInto(source, dataDir)).toBe(true);
    const { [LOCK_FILE_NAME]: lock, ...copied } = filesOf(dataDir);
    expect(lock).toBeDefined();
    expect(copied).toEqual(filesOf(source));
    expect(existsSync(join(dataDir, 'pg_tblspc'))).toBe(true);
    expect(existsSync(join(dataDir, COPY_MARKER))).toBe(false);
  });

  it('clears the remains of a copy cut short (no PG_VERSION yet) and copies again', async () => {
    const source = template();
    const dataDir = newLockedFolder('data');
    writeFileSync(join(dataDir, COPY_MARKER), '');
    mkdirSync(join(dataDir, 'base'));
    writeFileSync(join(dataDir, 'base', 'from-an-older-template'), '');
    expect(await copyTemplateInto(source, dataDir)).toBe(true);
    const { [LOCK_FILE_NAME]: _lock, ...copied } = filesOf(dataDir);
    expect(copied).toEqual(filesOf(source));
  });

  it('leaves a folder holding other files alone', async () => {
    const source = template();
    const dataDir = newLockedFolder('data');
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    expect(await copyTemplateInto(source, dataDir)).toBe(false);
    expect(readdirSync(dataDir).sort()).toEqual([LOCK_FILE_NAME, 'notes.txt'].sort());
  });

  it('removes what it copied when the copy fails, so the folder can still be created in place', async () => {
    const source = template();
    symlinkSync('/etc/hostname', join(source, 'base', 'unexpected'));
    const dataDir = newLockedFolder('data');
    await expect(copyTemplateInto(source, dataDir)).rejects.toThrow(/unexpected entry/);
    expect(readdirSync(dataDir)).toEqual([LOCK_FILE_NAME]);
  });
});
