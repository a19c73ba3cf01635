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
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'inter-personal-time.lock';

/** Who holds a lock, as written in the file. */
export interface LockOwner {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), if known. */
  startTicks: string | null;
  /** /proc/sys/kernel/random/boot_id, if known: a lock from before a reboot is stale. */
  bootId: string | null;
  host: string;
  /** When the lock was taken (ISO 8601), for people reading the message. */
  since: string;
  /** Random, so a process can tell its own lock from a later one with a reused pid. */
  token: string;
}

/** What the lock logic needs to know about processes (real ones, or made up in tests). */
export interface ProcessProbe {
  ownPid: number;
  /** True when a process with this id exists (even one we may not signal). */
  exists(pid: number): boolean;
  startTicks(pid: number): string | null;
  bootId(): string | null;
}

export const systemProbe: ProcessProbe = {
  ownPid: process.pid,
  exists(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  startTicks(pid) {
    try {
      return parseStartTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return null;
    }
  },
  bootId() {
    try {
      return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      return null;
    }
  },
};

/**
 * Field 22 (starttime) of /proc/<pid>/stat. Field 2 is the command name in parentheses and may
 * itself contain spaces and parentheses, so fields are counted from the last ")".
 */
export function parseStartTicks(stat: string): string | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  // After ")": field 3 (state) is the first, so starttime (22) is the 20th.
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  const ticks = fields[19];
  return ticks && /^\d+$/.test(ticks) ? ticks : null;
}

/** The owner record for this process. */
export function ownerFor(probe: ProcessProbe, now: Date = new Date()): LockOwner {
  return {
    pid: probe.ownPid,
    startTicks: probe.startTicks(probe.ownPid),
    bootId: probe.bootId(),
    host: hostname(),
    since: now.toISOString(),
    token: randomBytes(16).toString('hex'),
  };
}

/** A lock file's text as an owner; null when it is not one of ours (empty, cut short, edited). */
export function parseOwner(text: string): LockOwner | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const optional = (x: unknown) => x === null || typeof x === 'string';
  if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return null;
  if (!optional(v.startTicks) || !optional(v.bootId)) return null;
  if (typeof v.host !== 'string' || typeof v.since !== 'string' || typeof v.token !== 'string') return null;
  return { pid: v.pid as number, startTicks: v.startTicks as string | null, bootId: v.bootId as string | null, host: v.host, since: v.since, token: v.token };
}

/** True while the process that wrote this owner record may still be running. */
export function isOwnerAlive(owner: LockOwner, probe: ProcessProbe): boolean {
  // Our own pid in a lock we have not taken yet: a previous life of this pid (a container's
  // process 1 after a restart, say), not a rival.
  if (owner.pid === probe.ownPid) return false;
  const bootId = probe.bootId();
  if (owner.bootId && bootId && owner.bootId !== bootId) return false;
  if (!probe.exists(owner.pid)) return false;
  // The pid exists; if it started at another time, it is another program that got the same pid.
  const startTicks = owner.startTicks ? probe.startTicks(owner.pid) : null;
  return !(owner.startTicks && startTicks && startTicks !== owner.startTicks);
}

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
export function acquireDataLock(dataDir: string, probe: ProcessProbe = systemProbe, now: () => Date = () => new Date()): DataLock {
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
