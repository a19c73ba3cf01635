/**
 * Who holds a data folder's lock (src/db/data-lock.ts): the owner record a lock file holds, and how
 * to tell whether that owner may still be running — a process id, its start time and its boot, so a
 * pid reused by another program, or a lock left from before a reboot, counts as gone.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

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
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
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
  return {
    pid: v.pid as number,
    startTicks: v.startTicks as string | null,
    bootId: v.bootId as string | null,
    host: v.host,
    since: v.since,
    token: v.token,
  };
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
