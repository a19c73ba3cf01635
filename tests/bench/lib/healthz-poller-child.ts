/**
 * The /healthz poller's process (see healthz-poller.ts): one keep-alive connection, a request every
 * `intervalMs` (the next starts at once if one took longer), each request's latency recorded.
 */
import http from 'node:http';
import { monotonicMs, serveParent } from './child.ts';
import { sleep } from './stats.ts';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let running: Promise<void> | null = null;
let stopping = false;
let samples: { at: number; ms: number }[] = [];
let errors = 0;

function get(url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ hostname: url.hostname, port: url.port, path: url.pathname, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
  });
}

async function poll(url: URL, intervalMs: number) {
  while (!stopping) {
    const at = monotonicMs();
    try {
      const status = await get(url);
      if (status === 200) samples.push({ at, ms: monotonicMs() - at });
      else errors++;
    } catch {
      errors++;
    }
    const wait = at + intervalMs - monotonicMs();
    if (wait > 0) await sleep(wait);
  }
}

serveParent({
  /** One untimed request: the connection is open before timing starts. */
  async warm(args: { url: string }) {
    await get(new URL(args.url));
    return true;
  },
  start(args: { url: string; intervalMs: number }) {
    if (running) throw new Error('already polling');
    samples = [];
    errors = 0;
    stopping = false;
    running = poll(new URL(args.url), args.intervalMs);
    return monotonicMs();
  },
  /** Stops issuing requests; the one in flight is waited for and counted, however long it takes. */
  async stop() {
    stopping = true;
    await running;
    running = null;
    return { samples, errors, stoppedAt: monotonicMs() };
  },
});
