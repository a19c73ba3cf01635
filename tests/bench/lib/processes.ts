/** Child processes for benchmarks: the app (as npm start runs it) and the bare ws baseline. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, startAppProcess } from '../../helpers/process.ts';

export { startAppProcess };

/**
 * What every benchmark's app process runs with: all load comes from 127.0.0.1, so the limits a
 * stranger meets (bookings per address, live sockets per address, bytes buffered for one socket)
 * are raised out of the way. The heartbeat stays at its default: the load generator answers pings.
 */
export const BENCH_APP_ENV: Record<string, string> = {
  BOOKING_RATE_LIMIT: '1000000000',
  WS_MAX_SOCKETS_PER_ADDRESS: '1000000',
  WS_MAX_BUFFERED_BYTES: String(1024 ** 3),
  SCHEDULE_CREATION_RATE_LIMIT: '1000000',
  MAX_SLOTS_PER_SCHEDULE: '100000',
};

/** One line saying so, for the run's output and the README. */
export const BENCH_APP_ENV_NOTE = `limits raised out of the way for the run: ${Object.entries(BENCH_APP_ENV)
  .map(([k, v]) => `${k}=${v}`)
  .join(', ')}`;

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Resident set size of a process, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN');
  return kb * 1024;
}

export interface BareServer {
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startBareWsServer(): Promise<BareServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/bare-ws-server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return {
    origin: `http://127.0.0.1:${port}`,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Bounds a benchmark in time: past `ms`, its processes are killed, so whatever it awaits from them
 * fails and its own clean-up runs. Returns the function that calls the watchdog off.
 */
export function watchdog(
  label: string,
  ms: number,
  processes: () => (ChildProcess | undefined)[],
  log: (line: string) => void,
): () => void {
  const timer = setTimeout(() => {
    log(`  ${label}: still running after ${Math.round(ms / 1000)} s, stopping its processes`);
    for (const child of processes()) if (child && child.exitCode === null) child.kill('SIGKILL');
  }, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

/**
 * Waits for processes being started; if any fails, stops those that did start and rethrows, so a
 * failed start leaves nothing running.
 */
export async function allStarted<T extends readonly Promise<{ stop(): Promise<unknown> }>[]>(
  starting: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.stop() : null)));
    throw failed.reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
