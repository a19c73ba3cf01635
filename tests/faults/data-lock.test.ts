/**
 * The embedded data folder, with real app processes: a second server on the same DATA_DIR refuses
 * to start (exit 1, a message naming the folder and the pid that holds it) without touching a file
 * there; SIGKILL leaves a lock that does not block the next start; SIGTERM removes it at once.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, parseOwner } from '../../src/db/data-lock.ts';
import { paths } from '../../views/paths.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { type AppProcess, runAppToExit, startAppProcess } from '../helpers/process.ts';

/** Every file under a folder with its size, mtime and content hash. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        files[relative(dir, path)] =
          `${stat.size} ${stat.mtimeMs} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
      }
    }
  };
  walk(dir);
  return files;
}

async function createSchedule(app: AppProcess, title: string): Promise<string> {
  const response = await fetch(`${app.url}${paths.createSchedule()}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ title, timeZone: 'UTC' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.origin },
  });
  expect(response.status).toBe(303);
  return response.headers.get('location')!;
}

describe('one server per embedded data folder', { timeout: STORY_TIMEOUT_MS }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-lock-app-'));
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  const running: AppProcess[] = [];
  const start = async () => {
    const app = await startAppProcess({ DATA_DIR: dataDir });
    running.push(app);
    return app;
  };

  afterAll(async () => {
    for (const app of running) {
      app.child.kill('SIGCONT');
      await app.stop('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server on the same folder, with a clear message, exit code 1 and no file touched', async () => {
    const first = await start();
    const dashboard = await createSchedule(first, 'Before the second start');
    expect(parseOwner(readFileSync(lockPath, 'utf8'))!.pid).toBe(first.child.pid);

    // Frozen, the first server writes nothing, so any change to the folder would be the second's.
    first.child.kill('SIGSTOP');
    try {
      const before = snapshot(dataDir);
      const second = await runAppToExit({ DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.output).toContain(
        `The data folder ${dataDir} is already in use by another Inter-Personal Time server (process ${first.child.pid} on `,
      );
      expect(second.output).toContain(`kill ${first.child.pid}`);
      expect(second.output).toContain('DATA_DIR');
      expect(second.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(snapshot(dataDir)).toEqual(before);
    } finally {
      first.child.kill('SIGCONT');
    }
    // The first server is unharmed.
    expect((await fetch(`${first.url}${dashboard}`)).status).toBe(200);
  });

  it('starts after the holder was killed with SIGKILL, on the data it left', async () => {
    const holder = running.at(-1)!;
    const dashboard = await createSchedule(holder, 'Written before SIGKILL');
    expect(await holder.stop('SIGKILL')).toBeNull();
    expect(existsSync(lockPath)).toBe(true); // left behind…

    const next = await start(); // …and not in the way
    expect(parseOwner(readFileSync(lockPath, 'utf8'))!.pid).toBe(next.child.pid);
    const page = await (await fetch(`${next.url}${dashboard}`)).text();
    expect(page).toContain('Written before SIGKILL');
    expect(readdirSync(dataDir).filter((name) => name.includes(LOCK_FILE_NAME))).toEqual([LOCK_FILE_NAME]);
  });

  it('releases the folder the moment a server stops on SIGTERM or SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const holder = running.at(-1)!;
      expect(existsSync(lockPath)).toBe(true);
      expect(await holder.stop(signal)).toBe(0);
      expect(existsSync(lockPath), `lock after ${signal}`).toBe(false);
      const next = await start();
      expect(parseOwner(readFileSync(lockPath, 'utf8'))!.pid).toBe(next.child.pid);
    }
  });
});
