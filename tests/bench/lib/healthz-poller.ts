/**
 * A separate client polling the app's /healthz every few milliseconds while an operation runs: the
 * worst latency it sees is how long the app's event loop was unavailable to anyone else. It runs
 * in its own process so the benchmark's own work (its sockets, its parsing) cannot delay it.
 */
import type { ChildProcess } from 'node:child_process';
import { startBenchChild } from './child.ts';

export interface HealthzWindow {
  /** Latency of every request issued in the window (the last one waited for to its end). */
  latencies: number[];
  worst: number;
  errors: number;
  /** How long the window lasted (ms). */
  windowMs: number;
}

export interface HealthzPoller {
  child: ChildProcess;
  /** Polls during `operation` (every `intervalMs`), returning its result and what /healthz saw. */
  during<T>(operation: () => Promise<T>, intervalMs?: number): Promise<{ result: T; healthz: HealthzWindow }>;
  /** Polls for `ms` with nothing else going on: the baseline. */
  idle(ms: number, intervalMs?: number): Promise<HealthzWindow>;
  stop(): Promise<void>;
}

export async function startHealthzPoller(origin: string): Promise<HealthzPoller> {
  const child = await startBenchChild('lib/healthz-poller-child.ts');
  const url = `${origin}/healthz`;
  const window = async <T>(operation: () => Promise<T>, intervalMs: number) => {
    await child.call('warm', { url });
    const startedAt = await child.call<number>('start', { url, intervalMs });
    const outcome = await operation().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const stopped = await child.call<{ samples: { at: number; ms: number }[]; errors: number; stoppedAt: number }>(
      'stop',
    );
    if (!outcome.ok) throw outcome.error;
    const result = outcome.value;
    const latencies = stopped.samples.map((s) => s.ms);
    return {
      result,
      healthz: {
        latencies,
        worst: latencies.length ? Math.max(...latencies) : Number.NaN,
        errors: stopped.errors,
        windowMs: stopped.stoppedAt - startedAt,
      },
    };
  };
  return {
    child: child.child,
    during: (operation, intervalMs = 5) => window(operation, intervalMs),
    idle: async (ms, intervalMs = 5) => (await window(() => new Promise((r) => setTimeout(r, ms)), intervalMs)).healthz,
    stop: () => child.stop(),
  };
}
