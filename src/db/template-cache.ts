/**
 * The cache of database templates, one folder per key:
 *   <cacheDir>/<key>/data/          a migrated data folder, closed cleanly
 *   <cacheDir>/<key>/template.json  its key, written last
 * A template is built in a private folder (`.build-<key>-<pid>-<random>`) and renamed into place in
 * one step, so a reader finds a whole template or none. Of two processes building at once, one
 * rename wins and the other uses the winner's. A folder in the key's place without a matching
 * template.json (cut short while copied by hand, say) is never used: it is moved aside and replaced.
 * After a build, templates for other keys and builds left by dead processes are deleted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemProbe } from './data-lock.ts';

export interface TemplateCacheOptions {
  cacheDir: string;
  key: string;
  /** Creates a migrated data folder at the given path (which does not exist yet). */
  build: (dataDir: string) => Promise<void>;
  /** Told when a build starts: it takes seconds. */
  log?: (line: string) => void;
}

const MANIFEST = 'template.json';
const BUILD_PREFIX = '.build-';
const TRASH_PREFIX = '.trash-';

/** True when `folder` holds a finished template for `key`. */
export function isCompleteTemplate(folder: string, key: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), 'utf8')) as { key?: unknown };
    return manifest.key === key && existsSync(join(folder, 'data', 'PG_VERSION'));
  } catch {
    return false;
  }
}

const uniqueSuffix = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

/** Moves `path` out of the way and deletes it; nothing happens if it is already gone. */
function discard(cacheDir: string, path: string, label: string): void {
  const trash = join(cacheDir, `${TRASH_PREFIX}${label}-${uniqueSuffix()}`);
  try {
    renameSync(path, trash);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  rmSync(trash, { recursive: true, force: true });
}

/** Renames the finished build into the key's place, unless an equal template got there first. */
function moveIntoPlace(cacheDir: string, building: string, key: string): void {
  const folder = join(cacheDir, key);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      renameSync(building, folder);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      if (isCompleteTemplate(folder, key)) return; // another process won the race: ours is dropped
      discard(cacheDir, folder, key); // not a template: never used, replaced
    }
  }
  throw new Error(`could not put the template in ${folder}`);
}

/** Deletes other keys' templates, and builds and trash whose process is gone. */
function pruneCache(cacheDir: string, key: string): void {
  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    const name = entry.name;
    if (name === key || !entry.isDirectory()) continue;
    if (name.startsWith(BUILD_PREFIX) || name.startsWith(TRASH_PREFIX)) {
      const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
      if (pid && systemProbe.exists(pid)) continue; // still being built (or deleted) by a live process
      rmSync(join(cacheDir, name), { recursive: true, force: true });
    } else if (existsSync(join(cacheDir, name, MANIFEST))) {
      discard(cacheDir, join(cacheDir, name), name);
    }
  }
}

/**
 * The data folder of the template for `key`, built first if the cache has none. Throws when the
 * cache cannot be written (or the build fails); the caller then does without a template.
 */
export async function ensureTemplate(options: TemplateCacheOptions): Promise<string> {
  const { cacheDir, key } = options;
  const folder = join(cacheDir, key);
  if (isCompleteTemplate(folder, key)) return join(folder, 'data');
  mkdirSync(cacheDir, { recursive: true });
  const building = join(cacheDir, `${BUILD_PREFIX}${key}-${uniqueSuffix()}`);
  // Only this user may reach into it: PGlite writes its files world-writable.
  mkdirSync(building, { mode: 0o700 });
  try {
    options.log?.(
      `Building the database template for new data folders in ${cacheDir} (once per schema: a few seconds)`,
    );
    await options.build(join(building, 'data'));
    writeFileSync(join(building, MANIFEST), `${JSON.stringify({ key, builtAt: new Date().toISOString() })}\n`);
    moveIntoPlace(cacheDir, building, key);
  } finally {
    // Gone after the rename; what a failed build or a lost race left.
    rmSync(building, { recursive: true, force: true });
  }
  pruneCache(cacheDir, key);
  return join(folder, 'data');
}
