/**
 * Many WebSocket viewers in this process, and the time each one receives a marked message. The
 * load generator shares the machine's cores with the server it measures.
 */
import { WebSocket } from 'ws';

export interface Viewers {
  sockets: WebSocket[];
  /** Resolves with each viewer's delay (ms) from `t0` to its first message containing `marker`. */
  waitForMarker(marker: Buffer | null, t0: number, timeoutMs?: number): Promise<number[]>;
  /** The first message a viewer received after the last waitForMarker began. */
  sample(): Buffer | null;
  close(): Promise<void>;
}

/** Opens `count` sockets (in batches), each with its own headers, waiting for a first message. */
export async function openViewers(
  count: number,
  url: string,
  headersFor: (index: number) => Record<string, string>,
  options: { waitFirstMessage?: boolean } = {},
): Promise<Viewers> {
  const sockets: WebSocket[] = new Array(count);
  const received = new Float64Array(count);
  let marker: Buffer | null = null;
  let pending = 0;
  let resolveAll: (() => void) | null = null;
  let sample: Buffer | null = null;

  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, { headers: headersFor(index), perMessageDeflate: false });
      sockets[index] = socket;
      let first = true;
      socket.on('message', (data: Buffer) => {
        if (first) {
          first = false;
          if (options.waitFirstMessage !== false) resolve();
        }
        if (resolveAll && received[index] === 0 && (marker === null || data.indexOf(marker) !== -1)) {
          received[index] = performance.now();
          if (sample === null) sample = Buffer.from(data);
          if (--pending === 0) resolveAll();
        }
      });
      socket.once('open', () => {
        if (options.waitFirstMessage === false) resolve();
      });
      socket.once('error', reject);
    });

  const batch = 200;
  for (let start = 0; start < count; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - start) }, (_, i) => open(start + i)));
  }

  return {
    sockets,
    async waitForMarker(nextMarker, t0, timeoutMs = 15_000) {
      marker = nextMarker;
      received.fill(0);
      sample = null;
      pending = count;
      await new Promise<void>((resolve, reject) => {
        resolveAll = resolve;
        setTimeout(
          () => reject(new Error(`only ${count - pending} of ${count} viewers received it within ${timeoutMs} ms`)),
          timeoutMs,
        ).unref();
      });
      resolveAll = null;
      return Array.from(received, (t) => t - t0);
    },
    sample: () => sample,
    async close() {
      await Promise.all(
        sockets.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.readyState === WebSocket.CLOSED) return resolve();
              s.once('close', () => resolve());
              s.terminate();
            }),
        ),
      );
    },
  };
}
