/**
 * One process per embedded data folder. PGlite takes no lock of its own (the postmaster.pid it
 * writes holds a placeholder pid and is ignored on open), and two processes writing one folder
 * corrupt it. So the folder holds a lock file naming its owner: a process id, that process's start
 * time and the boot it belongs to.
 *
 * - Taking it is an O_EXCL create: of two starters exactly one creates the file.
 * - A lock whose owner is gone (killed with SIGKILL, the machine rebooted, or the pid now belongs
 *   to another program, told apart by its start time in /proc on Linux) is stale. Only the starter
 *   holding a second, short-lived O_EXCL file (`….lock.takeover`) may delete it, and only if the
 *   lock is still the very file judged stale; the others wait a moment and try again. While a
 *   stale lock sits there nobody can create one, and nobody but the takeover holder removes it, so
 *   of several starters meeting the same stale lock exactly one wins. A takeover file left by a
 *   starter killed mid-takeover is stale in turn, judged the same way.
 * - A clean exit deletes the file, and only if it is still ours.
 *
 * The file sits inside the data folder: PGlite (like PostgreSQL) ignores files it does not know
 * there, creates a new database in a folder that already holds it, and a folder moved or copied
 * carries its lock along (a copy's lock is stale on arrival: its owner is not running there).
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isOwnerAlive, type LockOwner, ownerFor, parseOwner, type ProcessProbe, systemProbe } from './lock-owner.ts';

export {
  isOwnerAlive,
  type LockOwner,
  ownerFor,
  parseOwner,
  parseStartTicks,
  type ProcessProbe,
  systemProbe,
} from './lock-owner.ts';

export const LOCK_FILE_NAME = 'inter-personal-time.lock';

/** The second server's refusal: which folder, who holds it, what to do. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner
      ? `process ${owner.pid} on ${owner.host}, running since ${owner.since}`
      : 'another server that is starting at this very moment';
    super(
      [
        `The data folder ${dataDir} is already in use by another Inter-Personal Time server (${who}).`,
        'Two servers must not share one embedded database, so this one stops here without touching the data.',
        `Stop the other server first${owner ? ` (for instance: kill ${owner.pid})` : ''}, give this one its own folder with DATA_DIR, ` +
          'or run several servers on one PostgreSQL database with DATABASE_URL.',
        `(The lock is ${join(dataDir, LOCK_FILE_NAME)}; it is removed when that server stops, and ignored once its process is gone.)`,
      ].join('\n'),
    );
    this.name = 'DataFolderInUseError';
  }
}

export interface DataLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Deletes the lock file if it is still ours. Safe to call more than once, and from an exit handler. */
  release(): void;
}

/** A lock file whose text cannot be read as an owner is taken to be mid-write for this long. */
const UNREADABLE_GRACE_MS = 5000;
/** Tries before giving up, a few milliseconds apart: a takeover takes microseconds. */
export const LOCK_ATTEMPTS = 100;
const PAUSE_MS = 10;

interface Seen {
  text: string;
  ino: number;
  mtimeMs: number;
}

function look(path: string): Seen | null {
  try {
    const stat = statSync(path);
    return { text: readFileSync(path, 'utf8'), ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function unlinkUnlessGone(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function sameFile(a: Seen, b: Seen): boolean {
  return a.ino === b.ino && a.text === b.text && a.mtimeMs === b.mtimeMs;
}

/** True when a lock or takeover file may still be in use: a live owner, or unreadable and young. */
function isHeld(seen: Seen, probe: ProcessProbe, now: Date): boolean {
  const holder = parseOwner(seen.text);
  return holder ? isOwnerAlive(holder, probe) : now.getTime() - seen.mtimeMs < UNREADABLE_GRACE_MS;
}

/**
 * Deletes the stale lock `judged`, holding the takeover file meanwhile; false when another starter
 * holds it (then wait and look again). A lock that changed since it was judged is left alone.
 */
function clearStale(path: string, judged: Seen, probe: ProcessProbe, ownText: string, now: Date): boolean {
  const takeover = `${path}.takeover`;
  if (!createExclusive(takeover, ownText)) {
    const other = look(takeover);
    // Abandoned by a starter killed mid-takeover: clear it for the next attempt (another starter
    // may be clearing it at the same moment).
    if (other && !isHeld(other, probe, now)) unlinkUnlessGone(takeover);
    return false;
  }
  try {
    const current = look(path);
    if (current && sameFile(current, judged)) unlinkSync(path);
  } finally {
    unlinkSync(takeover);
  }
  return true;
}

/** Blocks this thread for a few milliseconds (start-up only: nothing else runs yet). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the data folder's lock, or throws DataFolderInUseError naming the live owner. The folder
 * must exist. Nothing else in the folder is read or written.
 */
export function acquireDataLock(
  dataDir: string,
  probe: ProcessProbe = systemProbe,
  now: () => Date = () => new Date(),
): DataLock {
  const path = join(dataDir, LOCK_FILE_NAME);
  const owner = ownerFor(probe, now());
  const text = `${JSON.stringify(owner)}\n`;
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
    if (createExclusive(path, text)) {
      let held = true;
      return {
        path,
        owner,
        release() {
          if (!held) return;
          held = false;
          const seen = look(path);
          if (seen && parseOwner(seen.text)?.token === owner.token) unlinkSync(path);
        },
      };
    }
    const seen = look(path);
    if (!seen) continue; // released between our create and our look: try again
    if (isHeld(seen, probe, now())) throw new DataFolderInUseError(dataDir, parseOwner(seen.text));
    if (!clearStale(path, seen, probe, text, now())) pause(PAUSE_MS);
  }
  // Only a takeover that never ends (its holder stuck but alive) ends up here.
  throw new DataFolderInUseError(dataDir, parseOwner(look(path)?.text ?? ''));
}

/**
 * Takes the lock for the rest of this process: it is released when the process exits in any way
 * short of SIGKILL (a clean stop, an error at start, process.exit). After SIGKILL the next start
 * finds the owner gone and takes over.
 */
export function lockDataFolderForProcess(dataDir: string): DataLock {
  const lock = acquireDataLock(dataDir);
  process.once('exit', () => lock.release());
  return lock;
}
