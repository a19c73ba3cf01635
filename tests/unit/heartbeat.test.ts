/**
 * The heartbeat on a bare ws server: who gets pinged, who gets cut, and that stop() stops it.
 * Nothing here waits a fixed time: tests wait for pings to arrive, count them, and stall the
 * process through the heartbeat's clock rather than a busy loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { type Heartbeat, startHeartbeat } from '../../src/realtime/heartbeat.ts';

/** Long enough that an answer in this process always comes back before the next tick. */
const INTERVAL = 500;

describe('startHeartbeat', () => {
  const servers: WebSocketServer[] = [];
  const heartbeats: Heartbeat[] = [];
  const clients: WebSocket[] = [];

  async function listen(): Promise<{ wss: WebSocketServer; url: string }> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    servers.push(wss);
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    return { wss, url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}` };
  }

  function beat(wss: WebSocketServer, now?: () => number): Heartbeat {
    const heartbeat = startHeartbeat(wss, INTERVAL, now);
    heartbeats.push(heartbeat);
    return heartbeat;
  }

  /** A client counting the pings it gets; `autoPong: false` never answers them. */
  async function client(url: string, autoPong: boolean) {
    const socket = new WebSocket(url, { autoPong });
    clients.push(socket);
    const seen = { pings: 0, closeCode: 0, pingsAtClose: 0 };
    socket.on('ping', () => seen.pings++);
    socket.on('close', (code) => {
      seen.closeCode = code;
      seen.pingsAtClose = seen.pings;
    });
    await new Promise((resolve) => socket.once('open', resolve));
    return { socket, seen };
  }

  afterEach(async () => {
    for (const heartbeat of heartbeats.splice(0)) heartbeat.stop();
    for (const socket of clients.splice(0)) socket.terminate();
    await Promise.all(servers.splice(0).map((wss) => new Promise((resolve) => wss.close(resolve))));
  });

  it('pings every socket each interval and terminates one that left the previous ping unanswered', async () => {
    const { wss, url } = await listen();
    beat(wss);
    const answering = await client(url, true);
    const silent = await client(url, false);
    await expect.poll(() => silent.seen.closeCode).toBe(1006);
    expect(silent.seen.pingsAtClose).toBeGreaterThanOrEqual(1);
    // Four more ticks, each one answered: the answering socket stays.
    const pingsThen = answering.seen.pings;
    await expect.poll(() => answering.seen.pings).toBeGreaterThanOrEqual(pingsThen + 4);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    expect(wss.clients.size).toBe(1);
  });

  it('reaps nobody on a tick that comes late because this process stalled, and pings again instead', async () => {
    const { wss, url } = await listen();
    // The heartbeat's clock jumps ahead at its second tick, as after a stall of five intervals:
    // that tick is late, whatever the machine's speed. Ticks after it are on time again.
    const silent = await client(url, false); // connected before the first tick
    let reads = 0;
    const STALL = INTERVAL * 5;
    beat(wss, () => performance.now() + (reads++ >= 2 ? STALL : 0));
    await expect.poll(() => silent.seen.closeCode).toBe(1006);
    // The first tick pinged it; the second (late) pinged it again rather than cutting it; a tick on
    // time cut it. Without the lateness rule the second tick would cut it after one ping.
    expect(silent.seen.pingsAtClose).toBeGreaterThanOrEqual(2);
  });

  it('stop() ends the pinging: a socket that never answers is left alone from then on', async () => {
    const { wss, url } = await listen();
    const heartbeat = beat(wss);
    const silent = await client(url, false);
    heartbeat.stop();
    const pingsAtStop = silent.seen.pings;
    // The clock for "from then on": another server's heartbeat, started now, ticks five times.
    const other = await listen();
    beat(other.wss);
    const witness = await client(other.url, true);
    await expect.poll(() => witness.seen.pings).toBeGreaterThanOrEqual(5);
    expect(silent.socket.readyState).toBe(WebSocket.OPEN);
    expect(silent.seen.pings).toBe(pingsAtStop);
    expect(wss.listenerCount('connection')).toBe(0);
  });
});
