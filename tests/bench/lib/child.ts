/**
 * Helper processes of a benchmark (the viewer swarm, the /healthz poller), driven over Node's IPC
 * channel: the measuring process's event loop stays free for what it times, and theirs for theirs.
 * Times cross processes as `monotonicMs()`: Linux's CLOCK_MONOTONIC, the same clock in every process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Milliseconds on the system's monotonic clock: comparable between processes on one machine. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Request {
  id: number;
  type: string;
  args: unknown;
}
interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

export interface BenchChild {
  child: ChildProcess;
  call<T>(type: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `tests/bench/<script>` as a child with an IPC channel. */
export async function startBenchChild(script: string): Promise<BenchChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', `tests/bench/${script}`], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      for (const w of waiting.values()) w.reject(new Error(`${script} exited with ${code}`));
      waiting.clear();
      resolve();
    }),
  );
  child.on('message', (message: Reply) => {
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    if (message.error) w.reject(new Error(`${script}: ${message.error}`));
    else w.resolve(message.result);
  });
  const call = <T>(type: string, args?: unknown) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`${script} is not running`));
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, type, args } satisfies Request);
    });
  await call('ready');
  return {
    child,
    call,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** The child's side: answers each request with its handler's result (or error). */
export function serveParent(handlers: Record<string, (args: never) => unknown>): void {
  const all: Record<string, (args: never) => unknown> = { ready: () => true, ...handlers };
  process.on('message', async (message: Request) => {
    try {
      const handler = all[message.type];
      if (!handler) throw new Error(`no handler for ${message.type}`);
      const result = await handler(message.args as never);
      process.send!({ id: message.id, result } satisfies Reply);
    } catch (error) {
      process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies Reply);
    }
  });
  // The parent gone (or stopping us): nothing left to measure for.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}
