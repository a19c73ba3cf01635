/**
 * The embedded data folder's lock, piece by piece: reading /proc start times, the owner record,
 * when an owner counts as alive (pid reuse, reboots, our own pid), taking, refusing, taking over a
 * stale lock, a rival replacing the stale lock mid-takeover, releasing only our own lock, and
 * several processes racing over one stale lock. The app-level behaviour (a second server refused,
 * SIGKILL, SIGTERM) is in tests/faults/data-lock.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireDataLock,
  DataFolderInUseError,
  isOwnerAlive,
  LOCK_ATTEMPTS,
  LOCK_FILE_NAME,
  type LockOwner,
  ownerFor,
  parseOwner,
  parseStartTicks,
  type ProcessProbe,
  systemProbe,
} from '../../src/db/data-lock.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';

/** A made-up process table: pid → start ticks. */
function fakeProbe(ownPid: number, table: Record<number, string>, bootId = 'boot-a'): ProcessProbe {
  return {
    ownPid,
    exists: (pid) => pid in table,
    startTicks: (pid) => table[pid] ?? null,
    bootId: () => bootId,
  };
}

const owner = (fields: Partial<LockOwner> = {}): LockOwner => ({
  pid: 100,
  startTicks: '5000',
  bootId: 'boot-a',
  host: 'box',
  since: '2026-01-01T00:00:00.000Z',
  token: 'aa',
  ...fields,
});

/** The pid of a process that has exited (so, almost surely, nothing else has that pid now). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('reading a process start time', () => {
  it('takes field 22 of /proc/<pid>/stat, counting from the last ")" of the command name', () => {
    const rest = 'S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 987654 20 21';
    expect(parseStartTicks(`4242 (node) ${rest}`)).toBe('987654');
    // A command name with spaces and parentheses in it does not shift the fields.
    expect(parseStartTicks(`4242 (we) ird (na me)) ${rest}`)).toBe('987654');
    expect(parseStartTicks('garbage')).toBeNull();
    expect(parseStartTicks('1 (x) S 1 2')).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')(
    'reads a real, stable start time on Linux, later for a later process',
    async () => {
      const mine = systemProbe.startTicks(process.pid);
      expect(mine).toMatch(/^\d+$/);
      expect(systemProbe.startTicks(process.pid)).toBe(mine);
      const child = spawn('sleep', ['5']);
      try {
        const theirs = systemProbe.startTicks(child.pid!);
        expect(Number(theirs)).toBeGreaterThan(Number(mine));
      } finally {
        child.kill('SIGKILL');
      }
      expect(systemProbe.bootId()).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});

describe('the owner record', () => {
  it('round-trips what a process writes, and refuses anything else', () => {
    const written = ownerFor(fakeProbe(7, { 7: '123' }), new Date('2026-02-03T04:05:06Z'));
    expect(written).toMatchObject({ pid: 7, startTicks: '123', bootId: 'boot-a', since: '2026-02-03T04:05:06.000Z' });
    expect(written.token).toMatch(/^[0-9a-f]{32}$/);
    expect(parseOwner(`${JSON.stringify(written)}\n`)).toEqual(written);
    for (const bad of [
      '',
      '{"pid":',
      'null',
      '42',
      '[]',
      JSON.stringify({ ...written, pid: -1 }),
      JSON.stringify({ ...written, pid: '7' }),
      JSON.stringify({ ...written, token: 5 }),
      JSON.stringify({ ...written, startTicks: 9 }),
    ]) {
      expect(parseOwner(bad), bad).toBeNull();
    }
  });

  it('is alive only while that very process runs', () => {
    const probe = fakeProbe(1, { 100: '5000' });
    expect(isOwnerAlive(owner(), probe)).toBe(true);
    expect(isOwnerAlive(owner({ pid: 101 }), probe)).toBe(false); // gone (SIGKILL)
    expect(isOwnerAlive(owner({ startTicks: '4000' }), probe)).toBe(false); // pid reused by a later process
    expect(isOwnerAlive(owner({ bootId: 'boot-b' }), probe)).toBe(false); // written before a reboot
    expect(isOwnerAlive(owner({ startTicks: null, bootId: null }), probe)).toBe(true); // no /proc where it was written: the pid decides
    expect(isOwnerAlive(owner(), fakeProbe(100, { 100: '5000' }))).toBe(false); // our own pid: a previous life (container restart)
    expect(isOwnerAlive(owner(), { ...probe, startTicks: () => null })).toBe(true); // cannot read the start time here: assume alive
  });
});

describe('taking the lock', () => {
  let dir: string;
  const lockPath = () => join(dir, LOCK_FILE_NAME);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ipt-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the lock file naming this process, and release deletes it', () => {
    const lock = acquireDataLock(dir, fakeProbe(10, { 10: '1' }));
    expect(lock.path).toBe(lockPath());
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))).toEqual(lock.owner);
    expect(lock.owner.pid).toBe(10);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    lock.release(); // twice is fine
  });

  it('refuses while the owner runs, with a message naming the folder, the pid and what to do', () => {
    const first = acquireDataLock(dir, fakeProbe(10, { 10: '1', 20: '2' }));
    const before = readFileSync(lockPath(), 'utf8');
    let refusal: unknown;
    try {
      acquireDataLock(dir, fakeProbe(20, { 10: '1', 20: '2' }));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataFolderInUseError);
    const message = (refusal as Error).message;
    expect(message).toContain(
      `The data folder ${dir} is already in use by another Inter-Personal Time server (process 10 on `,
    );
    expect(message).toContain('kill 10');
    expect(message).toContain('DATA_DIR');
    expect(message).toContain('DATABASE_URL');
    expect(readFileSync(lockPath(), 'utf8')).toBe(before); // untouched
    first.release();
  });

  it('takes over a lock whose owner is gone, or whose pid now belongs to another process', () => {
    acquireDataLock(dir, fakeProbe(10, { 10: '1' })); // never released: killed
    const second = acquireDataLock(dir, fakeProbe(20, { 20: '2' }));
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))!.pid).toBe(20);
    // pid 20 is reused by an unrelated process that started later.
    const third = acquireDataLock(dir, fakeProbe(30, { 20: '999', 30: '3' }));
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))!.token).toBe(third.owner.token);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]); // nothing left aside
    // The second process, stopping late, does not delete the third one's lock.
    second.release();
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))!.token).toBe(third.owner.token);
    third.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats an unreadable lock as being written for a few seconds, then as stale', () => {
    writeFileSync(lockPath(), '');
    const probe = fakeProbe(20, { 20: '2' });
    expect(() => acquireDataLock(dir, probe)).toThrow(/another server that is starting at this very moment/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath(), old, old);
    const lock = acquireDataLock(dir, probe);
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))!.token).toBe(lock.owner.token);
  });

  it('leaves alone a live lock that a rival put in place of the stale one while we were judging it', () => {
    acquireDataLock(dir, fakeProbe(10, { 10: '1' })); // stale: pid 10 is gone below
    let rival: ReturnType<typeof acquireDataLock> | undefined;
    const table: Record<number, string> = { 20: '2', 30: '3' };
    const probe: ProcessProbe = {
      ...fakeProbe(30, table),
      exists(pid) {
        // While we decide that pid 10 is gone, pid 20 takes the stale lock over first.
        if (pid === 10 && !rival) rival = acquireDataLock(dir, fakeProbe(20, table));
        return pid in table;
      },
    };
    expect(() => acquireDataLock(dir, probe)).toThrow(/process 20 on /);
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))!.token).toBe(rival!.owner.token);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it('never deletes a stale lock while another starter holds the takeover, and gives up if it never ends', () => {
    acquireDataLock(dir, fakeProbe(10, { 10: '1' })); // stale: pid 10 is gone below
    const stale = readFileSync(lockPath(), 'utf8');
    const taker = JSON.stringify(owner({ pid: 20, startTicks: '2', token: 'taker' }));
    writeFileSync(`${lockPath()}.takeover`, taker);
    // Counting how often it asked after the takeover's holder: once per try, every try.
    const probe = fakeProbe(30, { 20: '2', 30: '3' });
    let looksAtTaker = 0;
    const counting: ProcessProbe = {
      ...probe,
      exists(pid) {
        if (pid === 20) looksAtTaker++;
        return probe.exists(pid);
      },
    };
    expect(() => acquireDataLock(dir, counting)).toThrow(DataFolderInUseError);
    expect(looksAtTaker).toBe(LOCK_ATTEMPTS); // it waited for the takeover to end, and then gave up
    expect(readFileSync(lockPath(), 'utf8')).toBe(stale);
    expect(readFileSync(`${lockPath()}.takeover`, 'utf8')).toBe(taker);
  });

  it('clears a takeover file left by a starter killed mid-takeover, then takes the lock', () => {
    acquireDataLock(dir, fakeProbe(10, { 10: '1' })); // stale
    writeFileSync(`${lockPath()}.takeover`, JSON.stringify(owner({ pid: 20, startTicks: '2', token: 'dead-taker' })));
    const lock = acquireDataLock(dir, fakeProbe(30, { 30: '3' })); // pids 10 and 20 are gone
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))!.token).toBe(lock.owner.token);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it('lets the takeover holder finish: a starter that found it busy then meets the new live lock', () => {
    acquireDataLock(dir, fakeProbe(10, { 10: '1' })); // stale
    const table: Record<number, string> = { 20: '2', 30: '3' };
    let winner: ReturnType<typeof acquireDataLock> | undefined;
    const probe: ProcessProbe = {
      ...fakeProbe(30, table),
      exists(pid) {
        // While we judge pid 10, pid 20 starts its takeover: it holds the takeover file, then
        // (on our next look) finishes and holds the lock.
        if (pid === 10 && !winner) {
          writeFileSync(`${lockPath()}.takeover`, JSON.stringify(owner({ pid: 20, startTicks: '2', token: 'busy' })));
          winner = { owner: owner({ pid: 20 }) } as ReturnType<typeof acquireDataLock>;
        } else if (pid === 20 && readdirSync(dir).includes(`${LOCK_FILE_NAME}.takeover`)) {
          unlinkSync(`${lockPath()}.takeover`);
          unlinkSync(lockPath());
          winner = acquireDataLock(dir, fakeProbe(20, table));
        }
        return pid in table;
      },
    };
    expect(() => acquireDataLock(dir, probe)).toThrow(/process 20 on /);
    expect(parseOwner(readFileSync(lockPath(), 'utf8'))!.token).toBe(winner!.owner.token);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  it(
    'lets exactly one of several processes racing over one stale lock win',
    async () => {
      const rounds = 10;
      const contenders = 4;
      const dirs = Array.from({ length: rounds }, (_, i) => join(dir, `round-${i}`));
      const stale = JSON.stringify({ ...owner({ pid: deadPid(), startTicks: null, bootId: null }) });
      for (const d of dirs) {
        rmSync(d, { recursive: true, force: true });
        spawnSync('mkdir', ['-p', d]);
        writeFileSync(join(d, LOCK_FILE_NAME), stale);
      }
      // Each contender loads the lock code, says it is ready, then tries folder i as soon as it reads
      // "i" and holds what it wins until its input ends: the test starts every round for all four at
      // once, and no winner can be gone (its lock stale) while a slower contender is still trying.
      const script = `
      import { createInterface } from 'node:readline';
      import { acquireDataLock } from ${JSON.stringify(new URL('../../src/db/data-lock.ts', import.meta.url).pathname)};
      const dirs = ${JSON.stringify(dirs)};
      const held = [];
      console.log('ready');
      for await (const line of createInterface({ input: process.stdin })) {
        const i = Number(line);
        let outcome;
        try { held.push(acquireDataLock(dirs[i])); outcome = 'won'; } catch (e) { outcome = e.name === 'DataFolderInUseError' ? 'refused' : String(e); }
        console.log(JSON.stringify({ i, outcome }));
      }
    `;
      const children = Array.from({ length: contenders }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        const lines: string[] = [];
        createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
        const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
        return { child, lines, closed };
      });
      const outcomesOf = (i: number) =>
        children.map(
          ({ lines }) =>
            lines
              .map((l) => (l.startsWith('{') ? (JSON.parse(l) as { i: number; outcome: string }) : null))
              .find((r) => r?.i === i)?.outcome,
        );
      await expect.poll(() => children.every(({ lines }) => lines.includes('ready'))).toBe(true);
      for (let i = 0; i < rounds; i++) {
        for (const { child } of children) child.stdin.write(`${i}\n`);
        await expect.poll(() => outcomesOf(i).every((o) => o !== undefined)).toBe(true);
      }
      for (const { child } of children) child.stdin.end();
      expect(await Promise.all(children.map(({ closed }) => closed))).toEqual(Array(contenders).fill(0));
      const runs = children.map((_, c) => Array.from({ length: rounds }, (_, i) => outcomesOf(i)[c]));
      for (let i = 0; i < rounds; i++) {
        const outcomes = runs.map((r) => r[i]);
        expect(
          outcomes.filter((o) => o === 'won'),
          `round ${i}: ${outcomes.join(', ')}`,
        ).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'refused')).toHaveLength(contenders - 1);
        expect(readdirSync(dirs[i]!)).toEqual([LOCK_FILE_NAME]);
      }
      unlinkSync(join(dirs[0]!, LOCK_FILE_NAME));
    },
    STORY_TIMEOUT_MS,
  );
});
