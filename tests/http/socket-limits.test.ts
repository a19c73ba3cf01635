/**
 * Live sockets under abuse, over a real server and real `ws` clients: the heartbeat reaps
 * connections that stopped answering, a reader that stopped reading is dropped with 1013 before
 * the server buffers without bound, and one address cannot hold more than its share of sockets
 * (1013, so the page retries later). Other viewers keep receiving throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import type { Slot } from '../../src/domain/slots.ts';
import { scheduleTopic } from '../../src/realtime/topics.ts';
import { ids, slotId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { makeSlots } from '../helpers/fixtures.ts';
import { adminKeyOf, CookieJar, get, post, registerAs } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

const FIRST_SLOT = new Date('2027-03-16T13:00:00Z');
const LOCAL = '127.0.0.1';

describe.each(databaseKinds)('live sockets under abuse on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  let schedule: Schedule;
  let adminKey: string;
  let slots: Slot[];
  const clients: LiveClient[] = [];

  async function start(config: Partial<Config>, options: { slotCount?: number; closeGraceMs?: number } = {}) {
    t = createTestApp(database.current.db, { config: { bookingRateLimit: 1000, ...config } });
    server = await startServer(t.app, { config: t.config, closeGraceMs: options.closeGraceMs });
    const created = await post(t.app, paths.createSchedule(), {
      title: 'Office hours',
      hostName: 'Mary',
      timeZone: 'America/New_York',
    });
    adminKey = adminKeyOf(created.headers.get('location')!);
    schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
    slots = await makeSlots(database.current.db, schedule.id, FIRST_SLOT, options.slotCount ?? 4);
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    await t.live.close();
    await server.close();
  });

  const wsUrl = (path: string) => `${server.url.replace('http', 'ws')}${path}`;

  /** A visitor's socket on the schedule page, once it has its full state. */
  async function visitor(options: { headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<LiveClient> {
    const client = await connectLive(wsUrl(paths.scheduleLive(schedule.publicId)), {
      origin: server.origin,
      cookie: 'tz=America%2FDenver',
      ...options,
    });
    clients.push(client);
    await client.waitFor((m) => m.includes(`id="${ids.slotList}"`));
    return client;
  }

  /** A socket that opens and is then closed by the server: resolves with the close code and what it received. */
  async function refusedSocket(path: string, options: { headers?: Record<string, string>; cookie?: string } = {}) {
    const client = await connectLive(wsUrl(path), { origin: server.origin, ...options });
    clients.push(client);
    const { code, reason } = await client.closed;
    return { code, reason, messages: client.messages };
  }

  /** Books a slot over HTTP and waits until `watcher` receives its fragment. */
  async function bookAndSee(watcher: LiveClient, slot: Slot, jar = new CookieJar()) {
    const from = watcher.mark();
    await get(t.app, paths.schedule(schedule.publicId), { jar });
    const response = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slot.id),
      { name: 'Ann', email: '' },
      { jar, htmx: true },
    );
    expect(response.status).toBe(200);
    await watcher.waitFor((m) => m.includes(`id="${slotId(slot.id)}"`) && m.includes('was just booked'), { from });
  }

  const rawSocket = (client: LiveClient) =>
    (client.socket as unknown as { _socket: import('node:net').Socket })._socket;

  describe('heartbeat', () => {
    it('terminates sockets that stop answering pings and unsubscribes them; answering sockets stay', async () => {
      await start({ wsHeartbeatMs: 500 });
      const healthy = await visitor();
      let healthyPings = 0;
      healthy.socket.on('ping', () => healthyPings++);
      // Each was subscribed (it received its full state); a tick or two later it is gone.
      const silent = await visitor({ autoPong: false }); // a client that never answers pings
      const stalled = await visitor(); // a connection whose far end stopped reading (a dead peer)
      rawSocket(stalled).pause();

      await expect.poll(() => t.live.hub.size).toBe(1);
      expect((await silent.closed).code).toBe(1006); // terminated, not closed politely
      expect(server.wss.clients.size).toBe(1);
      expect(t.live.sockets.openFrom(LOCAL)).toBe(1);
      rawSocket(stalled).resume();
      expect((await stalled.closed).code).toBe(1006);

      // Three more ticks, each answered: the answering socket is still there, and still receives.
      const pingsThen = healthyPings;
      await expect.poll(() => healthyPings).toBeGreaterThanOrEqual(pingsThen + 3);
      expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
      await bookAndSee(healthy, slots[0]!);
    });
  });

  describe('buffered bytes per socket', () => {
    const CAP = 64 * 1024;

    /**
     * One viewer stops reading; full lists are pushed until the server drops it (bounded, or the
     * test fails). Returns the largest buffer any server-side socket held and the largest message.
     */
    async function pushUntilDropped(stalled: LiveClient, watcher: LiveClient) {
      rawSocket(stalled).pause();
      const topic = scheduleTopic(schedule.id);
      let maxBuffered = 0;
      let pushes = 0;
      for (; pushes < 600 && t.live.hub.size === 2; pushes++) {
        const from = watcher.mark();
        await t.live.publish(topic, { type: 'slots-changed' });
        await t.live.idle();
        for (const socket of server.wss.clients) maxBuffered = Math.max(maxBuffered, socket.bufferedAmount);
        await watcher.waitFor((m) => m.includes(`id="${ids.slotList}"`), { from }); // every push reaches the reader that reads
      }
      const largestMessage = Math.max(...watcher.messages.map((m) => Buffer.byteLength(m)));
      return { maxBuffered, pushes, largestMessage };
    }

    it('drops a reader that stopped reading with 1013 once its buffer passes the cap; the others keep receiving', async () => {
      await start({ wsMaxBufferedBytes: CAP }, { slotCount: 120, closeGraceMs: 30_000 });
      const stalled = await visitor();
      const watcher = await visitor();
      const { maxBuffered, pushes, largestMessage } = await pushUntilDropped(stalled, watcher);
      console.log(
        `stalled reader dropped after ${pushes} pushes of up to ${largestMessage} bytes; most buffered for one socket: ${maxBuffered} bytes`,
      );

      expect(t.live.hub.size).toBe(1); // unsubscribed at once: no more renders for it
      expect(pushes).toBeLessThan(600);
      // Bounded: the message that would cross the cap is not queued (only the close frame is), so
      // the queue stops short of the cap by less than one message, whatever the number of pushes.
      expect(maxBuffered).toBeGreaterThan(CAP - largestMessage);
      expect(maxBuffered).toBeLessThanOrEqual(CAP + 128);

      // The other viewer is unaffected: it receives the next booking.
      await bookAndSee(watcher, slots[0]!);

      // Once the stalled reader reads again it drains what was sent and sees why it was closed.
      rawSocket(stalled).resume();
      const closed = await stalled.closed;
      expect(closed.code).toBe(1013);
      expect(closed.reason).toContain('behind');
      await expect.poll(() => t.live.sockets.openFrom(LOCAL)).toBe(1);
      expect(watcher.socket.readyState).toBe(watcher.socket.OPEN);
    });

    it('cuts a dropped reader that never reads again after the close grace, and frees its place', async () => {
      await start({ wsMaxBufferedBytes: CAP }, { slotCount: 120, closeGraceMs: 300 });
      const stalled = await visitor();
      const watcher = await visitor();
      await pushUntilDropped(stalled, watcher);
      expect(t.live.hub.size).toBe(1);
      // Its close frame is stuck behind megabytes it will not read: the grace ends it.
      await expect.poll(() => server.wss.clients.size).toBe(1);
      expect(t.live.sockets.openFrom(LOCAL)).toBe(1);
      rawSocket(stalled).resume();
      expect((await stalled.closed).code).toBe(1006);
      await bookAndSee(watcher, slots[1]!);
    });
  });

  describe('sockets per client address', () => {
    it('closes the socket over the cap with 1013 on every live route, and a closed socket frees a place', async () => {
      await start({ wsMaxSocketsPerAddress: 3 });
      const jar = await registerAs(t.app, 'ann');
      // Three routes, one address: they share the cap.
      const page = await visitor();
      const host = await connectLive(wsUrl(paths.adminLive(adminKey)), { origin: server.origin });
      clients.push(host);
      await host.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      const account = await connectLive(wsUrl(paths.accountLive()), { origin: server.origin, cookie: jar.header() });
      clients.push(account);
      await account.waitFor((m) => m.includes(`id="${ids.popups}"`));
      expect(t.live.sockets.openFrom(LOCAL)).toBe(3);

      for (const path of [paths.scheduleLive(schedule.publicId), paths.adminLive(adminKey)]) {
        const refused = await refusedSocket(path);
        expect(refused.code).toBe(1013);
        expect(refused.reason).toContain('Too many live connections');
        expect(refused.messages).toEqual([]); // nothing rendered or subscribed for it
      }
      const refusedAccount = await refusedSocket(paths.accountLive(), { cookie: jar.header() });
      expect(refusedAccount.code).toBe(1013);
      // Without TRUST_PROXY a claimed X-Forwarded-For changes nothing: still the socket's address.
      expect(
        (await refusedSocket(paths.scheduleLive(schedule.publicId), { headers: { 'x-forwarded-for': '198.51.100.7' } }))
          .code,
      ).toBe(1013);
      expect(t.live.hub.size).toBe(3);
      expect(t.live.sockets.openFrom(LOCAL)).toBe(3); // refused sockets never counted

      // The sockets that are in keep receiving.
      await bookAndSee(page, slots[0]!);
      await host.waitFor((m) => m.includes(`id="${slotId(slots[0]!.id)}"`));

      page.close();
      await expect.poll(() => t.live.sockets.openFrom(LOCAL)).toBe(2);
      const again = await visitor(); // the freed place is usable at once
      expect(t.live.sockets.openFrom(LOCAL)).toBe(3);
      for (const client of [again, host, account]) client.close();
      await expect.poll(() => t.live.sockets.openFrom(LOCAL)).toBe(0);
    });

    it('counts each address of X-Forwarded-For under TRUST_PROXY on its own', async () => {
      await start({ wsMaxSocketsPerAddress: 2, trustProxy: true });
      const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
      await visitor(from('203.0.113.1'));
      await visitor(from('203.0.113.1'));
      expect((await refusedSocket(paths.scheduleLive(schedule.publicId), from('203.0.113.1'))).code).toBe(1013);
      // The proxy appends the address it saw: an earlier entry the client wrote does not help it.
      expect((await refusedSocket(paths.scheduleLive(schedule.publicId), from('203.0.113.99, 203.0.113.1'))).code).toBe(
        1013,
      );

      const other = await visitor(from('203.0.113.2'));
      expect(t.live.sockets.openFrom('203.0.113.1')).toBe(2);
      expect(t.live.sockets.openFrom('203.0.113.2')).toBe(1);
      await bookAndSee(other, slots[0]!);
    });
  });
});
