/**
 * Fills a new, locked data folder with a copy of a template's data folder.
 *
 * PGlite (and the server) take a folder holding PG_VERSION for a database, so that file is copied
 * last: a copy cut short (the process killed, the disk full) is never opened as a database. A marker
 * written first tells such remains from files somebody else put in the folder: the next start
 * clears the remains and copies again, while a folder with other files is left alone.
 */
import { constants, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCK_FILE_NAME } from './data-lock.ts';

export const COPY_MARKER = 'inter-personal-time.copying';

/** Copies a folder tree, many files at a time, off the main thread (the server loads meanwhile). */
async function copyTree(from: string, to: string, skip: (name: string) => boolean = () => false): Promise<void> {
  const entries = (await readdir(from, { withFileTypes: true })).filter((entry) => !skip(entry.name));
  // Every copy settles before a failure is reported: the caller then removes what was copied, and
  // no copy still under way may add a file after that.
  const results = await Promise.allSettled(
    entries.map(async (entry) => {
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) {
        await mkdir(target);
        await copyTree(source, target);
      } else if (entry.isFile()) {
        // A copy-on-write clone where the file system can (btrfs, XFS, APFS), else a plain copy.
        await copyFile(source, target, constants.COPYFILE_FICLONE);
      } else throw new Error(`unexpected entry in the template: ${source}`);
    }),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Everything in the folder but its lock. */
function removeAllButLock(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (name !== LOCK_FILE_NAME) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

/**
 * Copies `templateData` into `dataDir`, which must be locked by this process. False, touching
 * nothing, when the folder holds anything but its lock or the remains of a copy cut short. A copy
 * that fails is removed before the error is thrown, so the folder is as empty as it was.
 */
export async function copyTemplateInto(templateData: string, dataDir: string): Promise<boolean> {
  const present = readdirSync(dataDir).filter((name) => name !== LOCK_FILE_NAME);
  const remainsOfACopy = present.includes(COPY_MARKER) && !present.includes('PG_VERSION');
  if (present.length > 0 && !remainsOfACopy) return false;
  removeAllButLock(dataDir);
  writeFileSync(
    join(dataDir, COPY_MARKER),
    'A database template is being copied here: no database until PG_VERSION is.\n',
  );
  try {
    await copyTree(templateData, dataDir, (name) => name === 'PG_VERSION' || name === LOCK_FILE_NAME);
    await copyFile(join(templateData, 'PG_VERSION'), join(dataDir, 'PG_VERSION'));
  } catch (error) {
    removeAllButLock(dataDir);
    throw error;
  }
  rmSync(join(dataDir, COPY_MARKER), { force: true });
  return true;
}
