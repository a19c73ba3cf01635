/**
 * The app as its own process, as `npm start` runs it: the built server in dist/ (the test run's
 * global setup and the benchmark runner build it first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { APP_START_MS, within } from './patience.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  logs: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A module a test loads into the app process before the app (`nodeArgs: [...preload('long-keep-alive')]`). */
export const preload = (name: string): string[] => ['--import', new URL(`./preload/${name}.mjs`, import.meta.url).href];

/**
 * For a test of a prompt shutdown: idle keep-alive connections are kept ten minutes (a preload)
 * and requests in flight get ten minutes' grace, so a stop that waited for either instead of
 * closing idle connections at once takes minutes, while a clean one takes well under a second.
 * `exitWithin` sets its bound between the two, far from both.
 */
export const SLOW_STOPS_SHOW = { env: { SHUTDOWN_GRACE_SECONDS: '600' }, nodeArgs: preload('long-keep-alive') };

/** The exit code, or a sentence saying the process was still running a minute later. */
export function exitWithin(exited: Promise<number | null>): Promise<number | null | string> {
  return within(exited, 60_000, 'still running a minute later');
}

function spawnApp(env: Record<string, string>, port: number, extraNodeArgs: string[] = []) {
  // APP_NODE_ARGS lets a benchmark run be profiled, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = [...(process.env.APP_NODE_ARGS ? process.env.APP_NODE_ARGS.split(' ') : []), ...extraNodeArgs];
  const child = spawn(process.execPath, [...nodeArgs, '--enable-source-maps', 'dist/server.mjs'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      SEED_DEMO: 'false',
      SITE_TIME_ZONE: 'America/New_York',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    logs.push(d.toString());
    if (process.env.BENCH_SHOW_APP_LOG) process.stdout.write(d);
  });
  child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, logs, exited };
}

/** Runs the app where it is expected to refuse to start: resolves with its exit code and output. */
export async function runAppToExit(
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<{ code: number | null; output: string }> {
  const { child, logs } = spawnApp(env, await freePort());
  // 'close', not 'exit': every line the process printed has been read by then.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? APP_START_MS);
  const code = await closed;
  clearTimeout(timer);
  return { code, output: logs.join('') };
}

/** Starts the app and resolves once /healthz answers 200 (or rejects after `timeoutMs`). */
export async function startAppProcess(
  env: Record<string, string>,
  options: { timeoutMs?: number; port?: number; nodeArgs?: string[] } = {},
): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const { child, logs, exited } = spawnApp(env, port, options.nodeArgs);
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? APP_START_MS);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}: ${logs.join('')}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app did not become healthy: ${logs.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: origin,
    origin,
    child,
    logs,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
