/** The heartbeat on a bare ws server: who gets pinged, who gets cut, and that stop() stops it. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { type Heartbeat, startHeartbeat } from '../../src/realtime/heartbeat.ts';

const INTERVAL = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startHeartbeat', () => {
  let wss: WebSocketServer;
  let heartbeat: Heartbeat | null = null;
  const clients: WebSocket[] = [];

  async function listen(): Promise<string> {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    return `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  }

  /** A client counting the pings it gets; `autoPong: false` never answers them. */
  async function client(url: string, autoPong: boolean) {
    const socket = new WebSocket(url, { autoPong });
    clients.push(socket);
    const seen = { pings: 0, closeCode: 0 };
    socket.on('ping', () => seen.pings++);
    socket.on('close', (code) => (seen.closeCode = code));
    await new Promise((resolve) => socket.once('open', resolve));
    return { socket, seen };
  }

  afterEach(async () => {
    heartbeat?.stop();
    heartbeat = null;
    for (const socket of clients.splice(0)) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });

  it('pings every socket each interval and terminates one that left the previous ping unanswered', async () => {
    const url = await listen();
    heartbeat = startHeartbeat(wss, INTERVAL);
    const answering = await client(url, true);
    const silent = await client(url, false);
    await expect.poll(() => silent.seen.closeCode, { timeout: 2000, interval: 10 }).toBe(1006);
    expect(silent.seen.pings).toBeGreaterThanOrEqual(1);
    await sleep(INTERVAL * 5);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    expect(answering.seen.pings).toBeGreaterThanOrEqual(4);
    expect(wss.clients.size).toBe(1);
  });

  it('reaps nobody on a tick that comes late because this process stalled, and pings again instead', async () => {
    const url = await listen();
    heartbeat = startHeartbeat(wss, INTERVAL);
    const silent = await client(url, false);
    const stalled = new Promise<void>((resolve) =>
      silent.socket.once('ping', () => {
        const until = performance.now() + INTERVAL * 4; // the whole process is busy: no tick, no reads
        while (performance.now() < until);
        resolve();
      }),
    );
    await stalled;
    // The next tick is late: the silent socket is pinged again rather than cut…
    await new Promise((resolve) => silent.socket.once('ping', resolve));
    expect(silent.seen.closeCode).toBe(0);
    // …and cut by a tick on time.
    await expect.poll(() => silent.seen.closeCode, { timeout: 2000, interval: 10 }).toBe(1006);
  });

  it('stop() ends the pinging: a socket that never answers is left alone from then on', async () => {
    const url = await listen();
    heartbeat = startHeartbeat(wss, INTERVAL);
    const silent = await client(url, false);
    heartbeat.stop();
    const pingsAtStop = silent.seen.pings;
    await sleep(INTERVAL * 5);
    expect(silent.socket.readyState).toBe(WebSocket.OPEN);
    expect(silent.seen.pings).toBe(pingsAtStop);
    expect(wss.listenerCount('connection')).toBe(0);
  });
});
