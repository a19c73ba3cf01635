/**
 * Many WebSocket viewers in a process of their own (swarm-child.ts), so that receiving and parsing
 * a thousand viewers' pushes does not delay the answers the benchmark process times. Times it
 * reports are `monotonicMs()` values, comparable with the benchmark process's.
 */
import type { ChildProcess } from 'node:child_process';
import { type BenchChild, startBenchChild } from './child.ts';

export interface Settled {
  /** Bytes each viewer received since the mark. */
  bytes: number[];
  messages: number[];
  /** When each viewer first received the marker (NaN: never). */
  markerAt: number[];
  /** Viewers that never received the marker (or, without one, anything). */
  missing: number;
  /** Close codes of viewers the server closed. */
  closed: (number | null)[];
  lastMessageAt: number;
}

export interface Converged {
  /** When each viewer had been shown every slot booked (NaN: not within the time allowed). */
  doneAt: number[];
  missing: number;
  closed: (number | null)[];
  /** The swarm's own CPU time and longest event-loop stall since its sockets opened (its delays are in its times). */
  cpuMs: number;
  loopDelayMaxMs: number;
}

export interface Swarm {
  child: ChildProcess;
  /** Opens `count` viewers of `url`; resolves once each has its first message (or is open). */
  open(options: {
    url: string;
    origin?: string;
    zones?: string[];
    urlsByZone?: Record<string, string>;
    count: number;
    batch?: number;
    waitFirstMessage?: boolean;
    trackBooked?: boolean;
    timeoutMs?: number;
  }): Promise<{ readyMs: number; firstBytes: number[] }>;
  mark(marker: string | null): Promise<void>;
  settle(options?: { timeoutMs?: number; quietMs?: number }): Promise<Settled>;
  converge(ids: string[], timeoutMs?: number, idsByZone?: Record<string, string[]>): Promise<Converged>;
  close(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSwarm(): Promise<Swarm> {
  const child: BenchChild = await startBenchChild('lib/swarm-child.ts');
  return {
    child: child.child,
    open: (o) =>
      child.call('open', {
        url: o.url,
        origin: o.origin,
        zones: o.zones ?? [],
        urlsByZone: o.urlsByZone,
        count: o.count,
        batch: o.batch ?? 200,
        waitFirstMessage: o.waitFirstMessage ?? true,
        trackBooked: o.trackBooked ?? false,
        timeoutMs: o.timeoutMs ?? 60_000,
      }),
    mark: async (marker) => {
      await child.call('mark', { marker });
    },
    settle: (o = {}) => child.call('settle', { timeoutMs: o.timeoutMs ?? 30_000, quietMs: o.quietMs ?? 300 }),
    converge: (ids, timeoutMs = 15_000, idsByZone) => child.call('converge', { ids, timeoutMs, idsByZone }),
    close: async () => {
      await child.call('close');
    },
    stop: () => child.stop(),
  };
}
