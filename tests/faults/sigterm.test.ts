/**
 * SIGTERM on an embedded app process: it stops accepting connections at once, closes live sockets
 * with 1012 (so pages reconnect), finishes a booking whose request was still arriving, exits 0
 * promptly, and the booking is there after the restart. (tests/e2e/restart-story.test.ts shows a
 * page in Chromium living through the same restart; scale-out.test.ts checks 1012 on PostgreSQL.)
 */
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paths } from '../../views/paths.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { type AppProcess, exitWithin, SLOW_STOPS_SHOW, startAppProcess } from '../helpers/process.ts';
import { addDayOfSlots, createRemoteSchedule, daysAhead, getPage, slotIdsOf } from '../helpers/remote.ts';
import { connectLive } from '../helpers/server.ts';

/**
 * A form POST whose body is sent in two parts: the request is in flight until `finish()`.
 * `received` resolves once the server has read the request's head and handed it to the app: it
 * asks `Expect: 100-continue`, and Node's server answers 100 only when it dispatches the request.
 */
function slowPost(app: AppProcess, agent: Agent, path: string, form: Record<string, string>) {
  const body = new URLSearchParams(form).toString();
  const half = Math.floor(body.length / 2);
  const { port } = new URL(app.url);
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    agent,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      origin: app.origin,
      'hx-request': 'true',
      expect: '100-continue',
    },
  });
  const received = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.once('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.once('error', reject);
  });
  req.flushHeaders();
  void received.then(() => req.write(body.slice(0, half)));
  return { response, received, finish: () => req.end(body.slice(half)) };
}

describe('SIGTERM', { timeout: STORY_TIMEOUT_MS }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-sigterm-'));
  let app: AppProcess | undefined;

  afterAll(async () => {
    await app?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops accepting, closes live sockets with 1012, finishes the booking in flight, exits 0, and the booking survives', async () => {
    app = await startAppProcess({ DATA_DIR: dataDir, ...SLOW_STOPS_SHOW.env }, { nodeArgs: SLOW_STOPS_SHOW.nodeArgs });
    const schedule = await createRemoteSchedule(app, 'Restart');
    // Kept open by the client after each answer, as browsers do: the server has to close it.
    const agent = new Agent({ keepAlive: true });
    await addDayOfSlots(app, schedule, daysAhead(9));
    const [slotId] = await slotIdsOf(app, schedule);

    const host = await connectLive(`${app.url.replace('http', 'ws')}${paths.adminLive(schedule.adminKey)}`, {
      origin: app.origin,
    });
    await host.waitFor((m) => m.includes('slot-list'));
    const closed = new Promise<number>((resolve) => host.socket.once('close', (code) => resolve(code)));

    // Half a booking has arrived when the signal comes.
    const idle = await new Promise<number>((resolve, reject) =>
      request(`${app!.url}/healthz`, { agent }, (res) => res.resume().once('end', () => resolve(res.statusCode!)))
        .once('error', reject)
        .end(),
    );
    expect(idle).toBe(200);
    const booking = slowPost(app, agent, paths.claimSlot(schedule.publicId, slotId!), {
      name: 'Mid-shutdown Mo',
      email: '',
    });
    await booking.received;
    const exit = exitWithin(app.stop('SIGTERM'));

    expect(await closed).toBe(1012);
    // No new connections: the listening socket is closed.
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    expect(app.child.exitCode).toBeNull(); // still finishing the request in flight

    booking.finish();
    const answered = await booking.response;
    expect(answered.status).toBe(200);
    const manageKey = /\/b\/([a-z2-7]{32})/.exec(answered.body)![1]!;
    // Promptly once the last answer is out: the idle keep-alive connections are closed, not waited
    // for, and the grace deadline is not what ended it.
    expect(await exit).toBe(0);
    expect(app.logs.join('')).not.toContain('exiting anyway');
    agent.destroy();

    app = await startAppProcess({ DATA_DIR: dataDir });
    expect(await (await getPage(app, paths.manage(manageKey))).text()).toContain('Booked for Mid-shutdown Mo');
  });
});
