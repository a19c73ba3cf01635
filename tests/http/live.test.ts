/**
 * The live path over a real server and real WebSocket clients (`ws`): pushes in each viewer's zone,
 * full state on (re)connect, Origin checks, CSRF, and the 100-request race over HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import { listSlotsForSchedule, type Slot } from '../../src/domain/slots.ts';
import { calendarCellId, calendarDayId, ids, slotId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, elementById, get, post, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

describe.each(databaseKinds)('live updates on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  let schedule: Schedule;
  let adminKey: string;
  let slots: Slot[];
  const clients: LiveClient[] = [];

  beforeEach(async () => {
    t = createTestApp(database.current.db, { config: { bookingRateLimit: 1000 } });
    server = await startServer(t.app);
    const created = await post(t.app, paths.createSchedule(), {
      title: 'Mentoring',
      hostName: 'Mary',
      timeZone: 'America/New_York',
    });
    adminKey = adminKeyOf(created.headers.get('location')!);
    schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
    await post(t.app, paths.adminSlots(adminKey), {
      date: '2027-03-16',
      start: '09:00',
      end: '10:30',
      split: '30',
      notes: '',
    });
    slots = await listSlotsForSchedule(database.current.db, schedule.id);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await t.live.close();
    await server.close();
  });

  /** A visitor with a zone: gets their cookie from the page, then opens the page's socket. */
  async function visitorSocket(
    zone: string,
    view?: { month?: string; day?: string },
  ): Promise<{ jar: CookieJar; socket: LiveClient }> {
    const jar = new CookieJar();
    jar.set('tz', zone);
    await get(t.app, paths.schedule(schedule.publicId), { jar });
    const url = paths.scheduleLive(schedule.publicId, view);
    const socket = await connectLive(`${server.url.replace('http', 'ws')}${url}`, {
      origin: server.origin,
      cookie: jar.header(),
    });
    clients.push(socket);
    // The full state: the view's part, then the visitor's own.
    await socket.waitFor((m) => m.includes(`id="${ids.slotList}"`));
    await socket.waitFor((m) => m.includes(`id="${ids.myBooking}"`));
    return { jar, socket };
  }

  async function hostSocket(): Promise<LiveClient> {
    const socket = await connectLive(`${server.url.replace('http', 'ws')}${paths.adminLive(adminKey)}`, {
      origin: server.origin,
    });
    clients.push(socket);
    await socket.waitFor((m) => m.includes(`id="${ids.slotList}"`));
    return socket;
  }

  it('sends the full current state on connect, in the viewer’s zone', async () => {
    const { socket } = await visitorSocket('Pacific/Auckland');
    const first = socket.messages[0]!;
    const list = elementById(first, ids.slotList)!;
    expect(list).toContain('hx-swap-oob="true"');
    // 09:00 in New York (EDT, 13:00Z) is 02:00 the next day in Auckland (NZDT, +13).
    expect(textOf(list)).toContain('Wednesday 17 March 2027');
    expect(textOf(list)).not.toContain('Tuesday 16 March 2027');
    expect(textOf(elementById(first, slotId(slots[0]!.id))!)).toContain('02:00–02:30');
    expect(textOf(elementById(first, ids.liveStatus)!)).toContain('Live');
    expect(textOf(elementById(first, ids.zoneLabel)!)).toContain('Pacific/Auckland');
  });

  it('takes a socket asking for nonsense as the default view, and one asking for a day as that day', async () => {
    const odd = await visitorSocket('America/Denver', { day: '2027-02-30' });
    expect(textOf(elementById(odd.socket.messages[0]!, ids.dayTimesHeading)!)).toBe('Tuesday 16 March 2027');
    const other = await visitorSocket('America/Denver', { day: '2027-03-20' });
    const state = other.socket.messages[0]!;
    expect(textOf(elementById(state, ids.dayTimesHeading)!)).toBe('Saturday 20 March 2027');
    expect(textOf(elementById(state, ids.slotList)!)).toContain('No times on this day.');
    expect(elementById(state, calendarCellId('2027-03-20'))).toContain('aria-selected="true"');
  });

  it('pushes a claim to every other viewer as an out-of-band fragment in their own zone, and to the host', async () => {
    const denver = await visitorSocket('America/Denver');
    const tokyo = await visitorSocket('Asia/Tokyo');
    const booker = await visitorSocket('Europe/London');
    const host = await hostSocket();

    const marks = {
      denver: denver.socket.mark(),
      tokyo: tokyo.socket.mark(),
      booker: booker.socket.mark(),
      host: host.mark(),
    };
    const started = performance.now();
    const response = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Ann', email: 'ann@example.com' },
      { jar: booker.jar, htmx: true },
    );
    expect(response.status).toBe(200);

    const id = slotId(slots[0]!.id);
    const forDenver = await denver.socket.waitFor((m) => m.includes(`id="${id}"`), { from: marks.denver });
    const latency = performance.now() - started;
    console.log(`claim → other viewer's socket: ${latency.toFixed(1)} ms (${kind})`);
    const denverItem = elementById(forDenver, id)!;
    expect(denverItem).toContain('hx-swap-oob="true"');
    expect(denverItem).toMatch(/<button[^>]*disabled/);
    expect(textOf(denverItem)).toContain('07:00–07:30 on Tue 16 Mar, Booked');
    expect(textOf(elementById(forDenver, ids.announcer)!)).toBe('07:00–07:30 on Tue 16 Mar was just booked.');
    // The calendar's cell for that day counts one open time fewer.
    expect(textOf(elementById(forDenver, calendarCellId('2027-03-16'))!)).toContain('2 open times');
    expect(forDenver).not.toContain('Ann'); // visitors never see who booked

    const tokyoItem = elementById(
      await tokyo.socket.waitFor((m) => m.includes(`id="${id}"`), { from: marks.tokyo }),
      id,
    )!;
    expect(textOf(tokyoItem)).toContain('22:00–22:30 on Tue 16 Mar, Booked');

    const own = await booker.socket.waitFor((m) => m.includes(`id="${id}"`), { from: marks.booker });
    expect(textOf(elementById(own, id)!)).toContain('Your booking');
    expect(textOf(elementById(own, ids.myBooking)!)).toContain('Tue 16 Mar 2027, 13:00–13:30');

    const forHost = await host.waitFor((m) => m.includes(`id="${id}"`), { from: marks.host });
    expect(textOf(elementById(forHost, id)!)).toContain('Booked by Ann (ann@example.com)');
    expect(textOf(elementById(forHost, ids.bookingSummary)!)).toBe('1 of 3 slots booked');
    expect(textOf(elementById(forHost, ids.announcer)!)).toContain('Ann booked Tue 16 Mar 2027, 09:00–09:30.');
  });

  it('pushes a release, so the slot comes back for everyone', async () => {
    const watcher = await visitorSocket('America/Denver');
    const booker = await visitorSocket('America/Denver');
    await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[1]!.id),
      { name: 'Ann', email: '' },
      { jar: booker.jar, htmx: true },
    );
    const id = slotId(slots[1]!.id);
    await watcher.socket.waitFor((m) => m.includes(`id="${id}"`) && m.includes('was just booked'));
    await booker.socket.waitFor((m) => m.includes('Your booking</h2>'));
    const marks = { watcher: watcher.socket.mark(), booker: booker.socket.mark() };
    await post(t.app, paths.release(schedule.publicId), {}, { jar: booker.jar, htmx: true });
    const back = await watcher.socket.waitFor((m) => m.includes(`id="${id}"`) && m.includes('is open again'), {
      from: marks.watcher,
    });
    expect(elementById(back, id)).not.toContain('disabled');
    expect(textOf(elementById(back, id)!)).toContain('Open');
    const bookerView = await booker.socket.waitFor((m) => m.includes(`id="${ids.myBooking}"`), { from: marks.booker });
    expect(elementById(bookerView, ids.myBooking)).toBe(`<div id="${ids.myBooking}" hx-swap-oob="true"></div>`);
  });

  it('pushes slots the host adds and deletes to open scheduling pages', async () => {
    const watcher = await visitorSocket('America/Denver');
    const mark = watcher.socket.mark();
    await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-03-17', start: '14:00', end: '15:00', split: '0', notes: 'New!' },
      { htmx: true },
    );
    // Another day of the month shown: only its calendar cell, now marked; the day shown is not re-sent.
    const added = await watcher.socket.waitFor((m) => m.includes(calendarCellId('2027-03-17')), { from: mark });
    expect(textOf(elementById(added, calendarCellId('2027-03-17'))!)).toContain('Wednesday 17 March 2027, 1 open time');
    expect(elementById(added, calendarDayId('2027-03-17'))).toContain('href=');
    expect(added).not.toContain(`id="${ids.slotList}"`);
    expect(added).not.toContain(slotId(slots[0]!.id));
    // A slot deleted on the day shown: that day's times are sent again without it, and its cell.
    const beforeDelete = watcher.socket.mark();
    await post(t.app, paths.adminDeleteSlot(adminKey, slots[2]!.id), {}, { htmx: true });
    const removed = await watcher.socket.waitFor((m) => m.includes(`id="${ids.slotList}"`), { from: beforeDelete });
    expect(removed).toContain(slotId(slots[1]!.id));
    expect(removed).not.toContain(slotId(slots[2]!.id));
    expect(textOf(elementById(removed, calendarCellId('2027-03-16'))!)).toContain('2 open times');
    expect(removed).not.toContain(calendarCellId('2027-03-17'));
    expect(textOf(elementById(removed, ids.announcer)!)).toBe('The host changed the times on Tue 16 Mar.');
    // A page showing April hears of neither.
    const april = await visitorSocket('America/Denver', { month: '2027-04' });
    const aprilMark = april.socket.mark();
    await post(t.app, paths.adminDeleteSlot(adminKey, slots[1]!.id), {}, { htmx: true });
    await watcher.socket.waitFor((m) => m.includes(`id="${ids.slotList}"`) && !m.includes(slotId(slots[1]!.id)), {
      from: beforeDelete + 1,
    });
    await t.live.idle();
    expect(april.socket.messages.slice(aprilMark)).toEqual([]);
  });

  it('heals a viewer who missed events: reconnecting sends the current state', async () => {
    const first = await visitorSocket('America/Denver');
    first.socket.close();
    const other = new CookieJar();
    other.set('tz', 'UTC');
    await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Ann', email: '' },
      { jar: other, htmx: true },
    );
    const again = await connectLive(`${server.url.replace('http', 'ws')}${paths.scheduleLive(schedule.publicId)}`, {
      origin: server.origin,
      cookie: first.jar.header(),
    });
    clients.push(again);
    const state = await again.waitFor((m) => m.includes(`id="${ids.slotList}"`));
    expect(textOf(elementById(state, slotId(slots[0]!.id))!)).toContain('Booked');
  });

  it('refuses a socket from a foreign Origin, or without one', async () => {
    const url = `${server.url.replace('http', 'ws')}${paths.scheduleLive(schedule.publicId)}`;
    await expect(connectLive(url, { origin: 'https://evil.example' })).rejects.toThrow('upgrade refused: 403');
    await expect(connectLive(url)).rejects.toThrow('upgrade refused: 403');
    await expect(
      connectLive(`${server.url.replace('http', 'ws')}${paths.adminLive(adminKey)}`, {
        origin: 'https://evil.example',
      }),
    ).rejects.toThrow('upgrade refused: 403');
    await expect(
      connectLive(`${server.url.replace('http', 'ws')}${paths.scheduleLive('b'.repeat(32))}`, {
        origin: server.origin,
      }),
    ).rejects.toThrow('upgrade refused: 404');
  });

  it('refuses a form posted from another site, and accepts one from a no-referrer page of ours', async () => {
    const crossSite = await t.app.request(paths.createSchedule(), {
      method: 'POST',
      body: new URLSearchParams({ timeZone: 'UTC' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(crossSite.status).toBe(403);
    expect(textOf(await crossSite.text())).toContain('That request came from somewhere else');
    const noHeaders = await t.app.request(paths.claimSlot(schedule.publicId, slots[0]!.id), {
      method: 'POST',
      body: new URLSearchParams({ name: 'Mallory' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noHeaders.status).toBe(403);
    expect((await listSlotsForSchedule(database.current.db, schedule.id)).every((s) => !s.booking)).toBe(true);
    // A no-referrer page's form sends Origin: null, but the browser still says same-origin.
    const ours = await t.app.request(paths.createSchedule(), {
      method: 'POST',
      body: new URLSearchParams({ timeZone: 'UTC' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null', 'sec-fetch-site': 'same-origin' },
    });
    expect(ours.status).toBe(303);
  });

  it('lets exactly one of 100 simultaneous booking requests win; the rest get 409', async () => {
    const jars = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const jar = new CookieJar();
        jar.set('tz', 'UTC');
        await get(t.app, paths.schedule(schedule.publicId), { jar });
        return jar;
      }),
    );
    const responses = await Promise.all(
      jars.map((jar, i) =>
        fetch(`${server.url}${paths.claimSlot(schedule.publicId, slots[0]!.id)}`, {
          method: 'POST',
          body: new URLSearchParams({ name: `Person ${i}`, email: '' }),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            origin: server.origin,
            cookie: jar.header(),
            'hx-request': 'true',
          },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const taken = await responses.find((r) => r.status === 409)!.text();
    expect(textOf(taken)).toContain('Sorry, that time was just taken');
    const booked = (await listSlotsForSchedule(database.current.db, schedule.id)).filter((s) => s.booking);
    expect(booked).toHaveLength(1);
  });

  it('rate-limits booking attempts per address with a readable 429', async () => {
    const limited = createTestApp(database.current.db, { config: { bookingRateLimit: 3 } });
    const jar = new CookieJar();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post(
        limited.app,
        paths.claimSlot(schedule.publicId, slots[2]!.id),
        { name: '' },
        { jar, htmx: true },
      );
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(textOf(await r.text())).toContain('Too many booking requests came from your network');
      }
    }
    expect(statuses).toEqual([422, 422, 422, 429, 429]);
  });
});
