/**
 * 5. Cold start: `npm start` to the first successful response, on a new embedded data folder, on a
 * persisted one, and on PostgreSQL. Baseline: a bare Node HTTP server started the same way (npm
 * run, then node), so the ratio is what the app itself adds.
 *
 * A new data folder starts from the cached migrated template (src/db/template.ts), which the first
 * start on a machine builds. So one untimed start comes first (it builds the template if this
 * checkout's migrations have none yet, and is the folder the persisted starts reopen); then new
 * and persisted starts alternate, so both see the same load on the machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/process.ts';
import { percentile, sleep } from './lib/stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ColdStartResult {
  /** A new DATA_DIR on a machine that has started once (the template is cached). */
  newEmbedded: number;
  persistedEmbedded: number;
  postgres: number | null;
  baseline: number;
}

function firstResponse(port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve();
        else retry();
      });
      req.on('error', retry);
    };
    const retry = () => (performance.now() > deadline ? reject(new Error('no response')) : setTimeout(attempt, 5));
    attempt();
  });
}

/** Milliseconds from spawning `command` to a 200 on GET /, then stops the process group. */
async function timeStart(command: string, args: string[], env: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    await firstResponse(port, started + 60_000);
    return performance.now() - started;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await sleep(300);
  }
}

const median = (values: number[]) => percentile([...values], 50);

export async function benchColdStart(
  databaseUrl: string | null,
  log: (line: string) => void,
  runs = 5,
): Promise<ColdStartResult> {
  const port = await freePort();
  const env = { SEED_DEMO: 'true', DATABASE_URL: '', LOG_REQUESTS: 'false' };
  const fresh: number[] = [];
  const persisted: number[] = [];
  const dirs: string[] = [];
  try {
    const newDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'ipt-cold-'));
      dirs.push(dir);
      return dir;
    };
    const persistedDir = newDir();
    const firstEver = await timeStart('npm', ['start', '--silent'], { ...env, DATA_DIR: persistedDir }, port);
    log(`  cold start, untimed warm-up (builds the template if none is cached): ${firstEver.toFixed(0)} ms`);
    for (let i = 0; i < runs; i++) {
      fresh.push(await timeStart('npm', ['start', '--silent'], { ...env, DATA_DIR: newDir() }, port));
      persisted.push(await timeStart('npm', ['start', '--silent'], { ...env, DATA_DIR: persistedDir }, port));
    }
    log(
      `  cold start, new embedded folder (template cached): ${median(fresh).toFixed(0)} ms (${fresh.map((t) => t.toFixed(0)).join(', ')})`,
    );
    log(
      `  cold start, persisted embedded folder: ${median(persisted).toFixed(0)} ms (${persisted.map((t) => t.toFixed(0)).join(', ')})`,
    );
    let postgres: number | null = null;
    if (databaseUrl) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++)
        times.push(await timeStart('npm', ['start', '--silent'], { ...env, DATABASE_URL: databaseUrl }, port));
      postgres = median(times);
      log(`  cold start, PostgreSQL: ${postgres.toFixed(0)} ms`);
    }
    const script = join(dirs[0]!, 'bare.mjs');
    writeFileSync(
      script,
      "import http from 'node:http';\nhttp.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), process.env.HOST);\n",
    );
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++)
      baseline.push(await timeStart('npm', ['exec', '--silent', '--', 'node', script], {}, port));
    log(`  cold start, bare node server via npm: ${median(baseline).toFixed(0)} ms`);
    return { newEmbedded: median(fresh), persistedEmbedded: median(persisted), postgres, baseline: median(baseline) };
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
