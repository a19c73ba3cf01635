/**
 * The live path's cost on a full-size schedule (2,000 slots), counted rather than timed: what one
 * booking, one added slot and one deleted slot send to each socket (bytes, renders per distinct
 * view, the elements they touch), events that arrive while a push is held merging into one push,
 * and a full-size dashboard and scheduling page connecting under the default limits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import type { SlotFilter } from '../../src/domain/slot-filters.ts';
import { addSlots, listSlotsForSchedule, type Slot } from '../../src/domain/slots.ts';
import type { FeedProbe } from '../../src/realtime/fan-out.ts';
import { dayOfInstant } from '../../src/domain/slot-calendar.ts';
import { calendarCellId, daySectionId, ids, slotId, weekSectionId, weekSummaryId } from '../../views/ids.ts';
import { weekKeyOf } from '../../views/components/weeks.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, elementById, get, post, textOf } from '../helpers/http.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

const SLOT_COUNT = 2000;
/** 30-minute slots on the hour, around the clock from this instant (a Monday, 00:00 UTC). */
const FIRST = Date.parse('2027-01-04T00:00:00Z');
const HOUR = 3_600_000;
const KB = 1024;

/** Renders per view, and a gate a test can close to hold the feed before it reads. */
function createProbe() {
  const renders = new Map<string, number>();
  let gate: Promise<void> | null = null;
  let open: () => void = () => {};
  const probe: FeedProbe = {
    rendered: (view) => renders.set(view, (renders.get(view) ?? 0) + 1),
    beforeRead: () => gate ?? Promise.resolve(),
  };
  return {
    probe,
    renders,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    /** Renders of one kind of push (`booked`, `days`, `full`, `head`) since the counts were cleared. */
    count: (kind: string) =>
      [...renders].filter(([view]) => view.startsWith(`${kind}|`)).reduce((n, [, c]) => n + c, 0),
  };
}

describe.each(databaseKinds)('live pushes on a 2,000-slot schedule (%s)', { timeout: STORY_TIMEOUT_MS }, (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  let schedule: Schedule;
  let adminKey: string;
  let slots: Slot[];
  let probe: ReturnType<typeof createProbe>;
  const clients: LiveClient[] = [];

  beforeEach(async () => {
    probe = createProbe();
    t = createTestApp(database.current.db, {
      config: {
        bookingRateLimit: 10_000,
        maxSlotsPerSchedule: SLOT_COUNT + 10,
        // Below the dashboard's full state (about 1.4 MB): one message larger than the bound still goes
        // out when nothing else waits for that socket.
        wsMaxBufferedBytes: 1024 * 1024,
      },
      probe: probe.probe,
    });
    server = await startServer(t.app, { config: t.config });
    const created = await post(t.app, paths.createSchedule(), {
      title: 'Clinic',
      hostName: 'Dr Lee',
      timeZone: 'America/New_York',
    });
    adminKey = adminKeyOf(created.headers.get('location')!);
    schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
    const planned = Array.from({ length: SLOT_COUNT }, (_, i) => ({
      startsAt: new Date(FIRST + i * HOUR),
      endsAt: new Date(FIRST + i * HOUR + HOUR / 2),
      notes: '',
    }));
    const added = await addSlots(database.current.db, schedule.id, planned);
    if (!added.ok) throw new Error('fixture slots overlap');
    slots = await listSlotsForSchedule(database.current.db, schedule.id);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await t.live.close();
    await server.close();
  });

  const wsUrl = (path: string) => `${server.url.replace('http', 'ws')}${path}`;

  /** A visitor's page; with `at`, showing the day that instant falls on in their zone. */
  async function visitor(
    zone: string,
    jar = new CookieJar(),
    at?: number,
  ): Promise<{ jar: CookieJar; socket: LiveClient }> {
    jar.set('tz', zone);
    await get(t.app, paths.schedule(schedule.publicId), { jar });
    const view = at === undefined ? undefined : { day: dayOfInstant(new Date(at), zone) };
    const socket = await connectLive(wsUrl(paths.scheduleLive(schedule.publicId, view)), {
      origin: server.origin,
      cookie: jar.header(),
    });
    clients.push(socket);
    await socket.waitFor((m) => m.includes(`id="${ids.myBooking}"`)); // the last of its full state
    return { jar, socket };
  }

  async function host(show?: SlotFilter): Promise<LiveClient> {
    const socket = await connectLive(wsUrl(paths.adminLive(adminKey, show)), { origin: server.origin });
    clients.push(socket);
    await socket.waitFor((m) => m.includes(`id="${ids.slotList}"`));
    return socket;
  }

  /**
   * Six viewers in three zones, each showing the day `at` falls on there, and two hosts: four
   * distinct views (three visitors' views, one host view).
   */
  async function audience(at: number) {
    const viewers = [
      ...(await Promise.all(
        ['America/Denver', 'America/Denver', 'Europe/Berlin', 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Tokyo'].map((zone) =>
          visitor(zone, new CookieJar(), at),
        ),
      )),
    ];
    const hosts = [await host(), await host()];
    await t.live.idle();
    await flush([...viewers.map((v) => v.socket), ...hosts]);
    return { viewers, hosts, sockets: [...viewers.map((v) => v.socket), ...hosts] };
  }

  /** Resolves once every frame the server sent these sockets so far has arrived (a ping's pong follows them). */
  const flush = (sockets: LiveClient[]) =>
    Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.socket.once('pong', () => resolve());
            s.socket.ping();
          }),
      ),
    );

  /** What each socket received since `marks`: message count and bytes. */
  function received(sockets: LiveClient[], marks: number[]) {
    return sockets.map((socket, i) => {
      const messages = socket.messages.slice(marks[i]);
      return { messages, count: messages.length, bytes: messages.reduce((n, m) => n + Buffer.byteLength(m), 0) };
    });
  }

  it('connects a full-size dashboard and scheduling page under the default limits, and keeps them live', async () => {
    const { socket } = await visitor('America/Denver', new CookieJar(), slots[10]!.startsAt.getTime());
    const dashboard = await host();
    const fullDashboard = dashboard.messages.find((m) => m.includes(`id="${ids.slotList}"`))!;
    console.log(
      `full state of a ${SLOT_COUNT}-slot schedule: dashboard ${Math.round(Buffer.byteLength(fullDashboard) / KB)} KB`,
    );
    expect(Buffer.byteLength(fullDashboard)).toBeGreaterThan(SLOT_COUNT * 300); // the whole list, really
    expect(fullDashboard.match(/<li id="slot-/g)?.length).toBe(SLOT_COUNT);
    expect(Buffer.byteLength(fullDashboard)).toBeGreaterThan(t.config.wsMaxBufferedBytes);
    const marks = [socket.mark(), dashboard.mark()];
    const response = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[10]!.id),
      { name: 'Ann', email: '' },
      { jar: new CookieJar(), htmx: true },
    );
    expect(response.status).toBe(200);
    await socket.waitFor((m) => m.includes(slotId(slots[10]!.id)) && m.includes('was just booked'), { from: marks[0] });
    await dashboard.waitFor((m) => m.includes(slotId(slots[10]!.id)) && m.includes('Booked by'), { from: marks[1] });
    expect(socket.socket.readyState).toBe(socket.socket.OPEN);
    expect(dashboard.socket.readyState).toBe(dashboard.socket.OPEN);
  });

  it('sends a few KB per socket for one booking, rendered once per distinct view', async () => {
    const { sockets } = await audience(slots[500]!.startsAt.getTime());
    probe.renders.clear();
    const marks = sockets.map((s) => s.mark());
    const booker = new CookieJar();
    expect(
      (
        await post(
          t.app,
          paths.claimSlot(schedule.publicId, slots[500]!.id),
          { name: 'Bo', email: '' },
          { jar: booker, htmx: true },
        )
      ).status,
    ).toBe(200);
    await t.live.idle();
    await flush(sockets);
    await flush(sockets);
    const got = received(sockets, marks);
    for (const r of got) {
      expect(r.count).toBe(1);
      expect(r.bytes).toBeLessThan(4 * KB);
      expect(r.messages[0]).toContain(`id="${slotId(slots[500]!.id)}"`);
      expect(r.messages[0]!.match(/<li id="slot-/g)?.length).toBe(1);
    }
    // Dashboards get the row and its week's summary line (19:00 UTC on 24 January is that Sunday in New York).
    const week = weekKeyOf(slots[500]!.startsAt.getTime(), 'America/New_York');
    expect(week).toBe('2027-01-18');
    for (const r of got.slice(6)) {
      expect(textOf(elementById(r.messages[0]!, weekSummaryId(week))!)).toBe(
        'Week of 18 January 2027: 167 open, 1 booked',
      );
      expect(textOf(elementById(r.messages[0]!, slotId(slots[500]!.id))!)).toContain('Booked by Bo');
    }
    expect(probe.count('visitor')).toBe(3); // three zones' views
    expect(probe.count('booked')).toBe(1); // one host view
  });

  it('keeps filtered dashboards and week summaries right through bookings and a week’s bulk delete, once per view', async () => {
    // (Visitors' views are counted in the tests above: here, dashboards only.)
    const hosts = { upcoming: await host(), open: await host('open'), booked: await host('booked') };
    const booked2 = await host('booked');
    const sockets = [hosts.upcoming, hosts.open, hosts.booked, booked2];
    await t.live.idle();
    await flush(sockets);
    // Before any booking the booked view is empty; the open view shows everything.
    expect(hosts.booked.messages.at(-1)).toContain('No upcoming bookings yet.');
    const weekOf = (slot: Slot) => weekKeyOf(slot.startsAt.getTime(), 'America/New_York');
    const liCount = (html: string) => html.match(/<li id="slot-/g)?.length ?? 0;

    async function act(send: () => Promise<Response>) {
      probe.renders.clear();
      const marks = sockets.map((s) => s.mark());
      const response = await send();
      await t.live.idle();
      await flush(sockets);
      const got = received(sockets, marks);
      for (const r of got) expect(r.count).toBe(1); // one frame per socket
      return { response, got, hostFrames: got.map((r) => r.messages[0]!) };
    }
    const book = (slot: Slot, name: string) =>
      post(
        t.app,
        paths.claimSlot(schedule.publicId, slot.id),
        { name, email: '' },
        { jar: new CookieJar(), htmx: true },
      );

    // The first booking: the open view loses the row (its day re-sent, one day's rows at most), the
    // booked view goes from empty to one row, the upcoming view re-sends the row in place.
    const first = await act(() => book(slots[500]!, 'Ann'));
    expect(first.response.status).toBe(200);
    const [upcoming, open, booked, bookedAgain] = first.hostFrames;
    expect(liCount(upcoming!)).toBe(1);
    expect(elementById(open!, slotId(slots[500]!.id))).toBeNull();
    expect(open).toContain(`id="day-2027-01-24-section" class="day"`);
    expect(liCount(open!)).toBeLessThanOrEqual(24);
    expect(liCount(booked!)).toBe(1);
    expect(textOf(elementById(booked!, slotId(slots[500]!.id))!)).toContain('Booked by Ann');
    expect(bookedAgain).toBe(booked); // one render per view, the same bytes to each of its sockets
    for (const frame of first.hostFrames) {
      // At most a day of 24 rows, each with its Delete, and the day's and week's confirmed bulk deletes.
      expect(Buffer.byteLength(frame)).toBeLessThan(24 * KB);
      expect(textOf(elementById(frame, weekSummaryId(weekOf(slots[500]!)))!)).toBe(
        'Week of 18 January 2027: 167 open, 1 booked',
      );
    }
    expect(probe.count('booked')).toBe(3); // three filters

    // A booking in a later week: the booked view gets that week inserted after the one it shows.
    const second = await act(() => book(slots[900]!, 'Bo'));
    expect(weekOf(slots[900]!)).toBe('2027-02-08');
    expect(second.hostFrames[2]).toContain(
      `<div hx-swap-oob="afterend:#${weekSectionId('2027-01-18')}"><details id="${weekSectionId('2027-02-08')}"`,
    );
    expect(liCount(second.hostFrames[2]!)).toBe(1);
    expect(probe.count('booked')).toBe(3);

    // Deleting the open slots of the first booking's week: one DELETE, the booked slot stays.
    const deleted = await act(() =>
      post(t.app, paths.adminDeleteOpenOfWeek(adminKey), { date: '2027-01-20' }, { htmx: true }),
    );
    expect(deleted.response.status).toBe(200);
    expect(textOf(elementById(await deleted.response.text(), ids.listStatus)!)).toBe(
      'Deleted 167 open slots of the week of 18 January 2027; kept 1 booked.',
    );
    const [upcomingAfter, openAfter, bookedAfter] = deleted.hostFrames;
    // Upcoming: six days gone, the booked one's day re-sent with its one row, the summary line.
    expect(textOf(elementById(upcomingAfter!, weekSummaryId('2027-01-18'))!)).toBe('Week of 18 January 2027: 1 booked');
    expect(upcomingAfter!.match(/hx-swap-oob="delete"/g)?.length).toBe(6);
    expect(liCount(upcomingAfter!)).toBe(1);
    // Open: nothing of that week is left to show, so the week goes.
    expect(openAfter).toContain(`<div id="${weekSectionId('2027-01-18')}" hx-swap-oob="delete"></div>`);
    expect(liCount(openAfter!)).toBe(0);
    // Booked: the same row as before; only the summary line changes.
    expect(textOf(elementById(bookedAfter!, weekSummaryId('2027-01-18'))!)).toBe('Week of 18 January 2027: 1 booked');
    expect(liCount(bookedAfter!)).toBe(0);
    for (const frame of deleted.hostFrames) expect(Buffer.byteLength(frame)).toBeLessThan(8 * KB);
    expect(probe.count('days')).toBe(3);
    const left = await listSlotsForSchedule(database.current.db, schedule.id);
    expect(left).toHaveLength(SLOT_COUNT - 167);
    expect(left.find((s) => s.id === slots[500]!.id)?.booking?.name).toBe('Ann');
  });

  it('sends one added slot as its day only, and one deleted slot likewise, once per view', async () => {
    const { viewers, hosts, sockets } = await audience(Date.UTC(2027, 0, 10, 10, 30));
    // 10:30–11:00 UTC on 10 January, between two existing slots.
    probe.renders.clear();
    let marks = sockets.map((s) => s.mark());
    const added = await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-01-10', start: '05:30', end: '06:00', split: '0', notes: '' },
      { htmx: true },
    );
    expect(added.status).toBe(200);
    await t.live.idle();
    await flush(sockets);
    const [newSlot] = (await listSlotsForSchedule(database.current.db, schedule.id)).filter(
      (s) => !slots.some((o) => o.id === s.id),
    );
    expect(newSlot).toBeDefined();
    for (const r of received(sockets, marks)) {
      expect(r.count).toBe(1);
      // A day of 25 rows for the host, each with its Delete, and the day's confirmed bulk delete.
      expect(r.bytes).toBeLessThan(24 * KB);
      expect(r.messages[0]).toContain(`id="${slotId(newSlot!.id)}"`);
      // One day's slots, not the list: at most the 25 of the day the slot falls on.
      expect(r.messages[0]!.match(/<li id="slot-/g)!.length).toBeLessThanOrEqual(25);
    }
    expect(probe.count('days')).toBe(1); // the host view
    expect(probe.count('visitor')).toBe(3); // three zones' views of that day
    // In Tokyo, 10:30 UTC on 10 January is 19:30 on the 10th: the day's times are sent, and its cell.
    const tokyo = received([viewers[4]!.socket], [marks[4]!])[0]!.messages[0]!;
    expect(textOf(elementById(tokyo, ids.dayTimesHeading)!)).toBe('Sunday 10 January 2027');
    expect(textOf(elementById(tokyo, slotId(newSlot!.id))!)).toContain('19:30–20:00');
    expect(textOf(elementById(tokyo, calendarCellId('2027-01-10'))!)).toContain('25 open times');

    probe.renders.clear();
    marks = sockets.map((s) => s.mark());
    const deleted = await post(t.app, paths.adminDeleteSlot(adminKey, newSlot!.id), {}, { htmx: true });
    expect(deleted.status).toBe(200);
    await t.live.idle();
    await flush(sockets);
    for (const r of received(sockets, marks)) {
      expect(r.count).toBe(1);
      expect(r.bytes).toBeLessThan(24 * KB);
      expect(r.messages[0]).not.toContain(slotId(newSlot!.id));
    }
    expect(probe.count('days')).toBe(1);
    expect(probe.count('visitor')).toBe(3);
    expect(hosts.every((h) => h.socket.readyState === h.socket.OPEN)).toBe(true);
  });

  it('merges twenty bookings that arrive while a push is held into one push, right for every viewer', async () => {
    const { viewers, hosts } = await audience(slots[100]!.startsAt.getTime());
    // One watcher already holds a booking; another books among the twenty.
    const holder = viewers[0]!;
    expect(
      (
        await post(
          t.app,
          paths.claimSlot(schedule.publicId, slots[1]!.id),
          { name: 'Holder', email: '' },
          { jar: holder.jar, htmx: true },
        )
      ).status,
    ).toBe(200);
    await t.live.idle();
    const sockets = [...viewers.map((v) => v.socket), ...hosts];
    await flush(sockets);
    probe.renders.clear();
    const marks = sockets.map((s) => s.mark());

    probe.hold();
    const chosen = slots.slice(100, 120);
    const answers = await Promise.all(
      chosen.map((slot, i) =>
        post(
          t.app,
          paths.claimSlot(schedule.publicId, slot.id),
          { name: `Rush ${i}`, email: '' },
          { jar: i === 0 ? viewers[2]!.jar : new CookieJar(), htmx: true },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(chosen.map(() => 200));
    await flush(sockets);
    expect(received(sockets, marks).map((r) => r.messages.map((m) => m.slice(0, 200)))).toEqual(sockets.map(() => [])); // held: nothing sent yet
    probe.release();
    await t.live.idle();
    await flush(sockets);

    const got = received(sockets, marks);
    const zones = ['America/Denver', 'America/Denver', 'Europe/Berlin', 'Europe/Berlin', 'Asia/Tokyo', 'Asia/Tokyo'];
    for (const [i, r] of got.entries()) {
      expect(r.count).toBe(1); // one frame per socket for all twenty
      // A visitor is sent the ones on the day they look at; the hosts all twenty.
      const zone = zones[i];
      const shown = zone
        ? chosen.filter((s) => dayOfInstant(s.startsAt, zone) === dayOfInstant(chosen[0]!.startsAt, zone))
        : chosen;
      expect(shown.length).toBeGreaterThan(0);
      for (const slot of shown) expect(r.messages[0]).toContain(`id="${slotId(slot.id)}"`);
      expect(r.messages[0]!.match(/<li id="slot-/g)?.length).toBe(shown.length);
    }
    // Views: three zones' views, the booker among the twenty (their own slot and panel), one host view.
    expect(probe.count('visitor')).toBe(4);
    expect(probe.count('booked')).toBe(1);
    // Several times on the day shown: one sentence for them all.
    const denverShown = chosen.filter((s) => dayOfInstant(s.startsAt, 'America/Denver') === '2027-01-07').length;
    expect(textOf(elementById(got[0]!.messages[0]!, ids.announcer)!)).toBe(
      `${denverShown} times on Thu 7 Jan were just booked.`,
    );
    const asBooker = got[2]!.messages[0]!;
    expect(textOf(elementById(asBooker, slotId(chosen[0]!.id))!)).toContain('Your booking');
    expect(textOf(elementById(asBooker, ids.myBooking)!)).toContain('Your booking');
    const asOther = got[3]!.messages[0]!;
    expect(textOf(elementById(asOther, slotId(chosen[0]!.id))!)).toContain('Booked');
    expect(asOther).not.toContain(`id="${ids.myBooking}"`);
    // The holder's own booking is untouched by the rush.
    expect(got[0]!.messages[0]).not.toContain(`id="${ids.myBooking}"`);
    const asHost = got[6]!.messages[0]!;
    for (const [i, slot] of chosen.entries())
      expect(textOf(elementById(asHost, slotId(slot.id))!)).toContain(`Booked by Rush ${i}`);
    expect(textOf(elementById(asHost, ids.bookingSummary)!)).toBe(`21 of ${SLOT_COUNT} slots booked`);
  });

  it('sends pages what the database holds when it is ahead of the events, so no day goes missing', async () => {
    const newDay = Date.UTC(2027, 3, 20, 12, 0); // 20 April 2027, 12:00 UTC
    const { viewers, sockets } = await audience(newDay);
    // A slot on a new day (the one after the last), written without an event: as if its event were
    // still on its way from another instance.
    const lastStart = slots[slots.length - 1]!.startsAt.getTime();
    expect(newDay).toBeGreaterThan(lastStart + 2 * 24 * HOUR);
    const early = await addSlots(database.current.db, schedule.id, [
      { startsAt: new Date(newDay), endsAt: new Date(newDay + HOUR / 2), notes: '' },
    ]);
    if (!early.ok) throw new Error('fixture overlaps');
    // Then the host adds another slot that day (08:00 in New York is 12:00 UTC + 1 h): its event comes first.
    let marks = sockets.map((s) => s.mark());
    expect(
      (
        await post(
          t.app,
          paths.adminSlots(adminKey),
          { date: '2027-04-20', start: '09:00', end: '09:30', split: '0', notes: '' },
          { htmx: true },
        )
      ).status,
    ).toBe(200);
    await t.live.idle();
    await flush(sockets);
    const second = (await listSlotsForSchedule(database.current.db, schedule.id)).at(-1)!;
    for (const [i, r] of received(sockets, marks).entries()) {
      expect(r.count).toBe(1);
      // Both slots, the day read as the database holds it: visitors looking at that day get its times
      // whole; a dashboard inserts a new week (19 April) after the last one it had (22 March), holding that day.
      if (i < viewers.length)
        expect(textOf(elementById(r.messages[0]!, ids.dayTimesHeading)!)).toBe('Tuesday 20 April 2027');
      else
        expect(r.messages[0]).toMatch(
          new RegExp(
            `hx-swap-oob="afterend:#${weekSectionId('2027-03-22')}"><details id="${weekSectionId('2027-04-19')}"`,
          ),
        );
      expect(r.messages[0]).toContain(slotId(early.slots[0]!.id));
      expect(r.messages[0]).toContain(slotId(second.id));
    }
    // The late event: the day is on the pages already, so it is replaced, not inserted twice.
    marks = sockets.map((s) => s.mark());
    await t.live.publish(`schedule:${schedule.id}`, { type: 'slots-added', ids: [early.slots[0]!.id] });
    await t.live.idle();
    await flush(sockets);
    const tokyo = received([viewers[4]!.socket], [marks[4]!])[0]!.messages[0]!;
    expect(elementById(tokyo, ids.slotList)).toContain('hx-swap-oob="true"');
    expect(tokyo).toContain(slotId(early.slots[0]!.id));
    // Dashboards already show that day as it is: nothing is inserted again.
    const dashboard = received(sockets.slice(viewers.length), marks.slice(viewers.length))[0]!.messages.join('');
    expect(dashboard).not.toContain('afterend:');
    expect(dashboard).not.toContain(`hx-swap-oob="afterbegin`);
  });

  it('takes "Your booking" off every tab of a booker whose slot is released and deleted in one push', async () => {
    const { viewers, sockets } = await audience(slots[0]!.startsAt.getTime());
    const booker = viewers[0]!;
    const target = slots[700]!;
    expect(
      (
        await post(
          t.app,
          paths.claimSlot(schedule.publicId, target.id),
          { name: 'Cy', email: '' },
          { jar: booker.jar, htmx: true },
        )
      ).status,
    ).toBe(200);
    const otherTab = await visitor('America/Denver', booker.jar);
    expect(
      otherTab.socket.messages.some((m) => textOf(elementById(m, ids.myBooking) ?? '').includes('Your booking')),
    ).toBe(true);
    await t.live.idle();
    await flush([...sockets, otherTab.socket]);
    const mark = otherTab.socket.mark();
    probe.hold();
    expect((await post(t.app, paths.release(schedule.publicId), {}, { jar: booker.jar, htmx: true })).status).toBe(200);
    expect((await post(t.app, paths.adminDeleteSlot(adminKey, target.id), {}, { htmx: true })).status).toBe(200);
    probe.release();
    await t.live.idle();
    await flush([otherTab.socket]);
    const got = otherTab.socket.messages.slice(mark).join('');
    expect(got).toContain(`<div id="${ids.myBooking}" hx-swap-oob="true"></div>`);
    expect(got).not.toContain(`id="${slotId(target.id)}"`);
  });
  it('sends a settings change as headings to visitors, and the whole dashboard to hosts (its days move with the zone)', async () => {
    const { viewers, hosts, sockets } = await audience(slots[0]!.startsAt.getTime());
    probe.renders.clear();
    const marks = sockets.map((s) => s.mark());
    const saved = await post(
      t.app,
      paths.adminSettings(adminKey),
      { title: 'Clinic on Tokyo time', hostName: 'Dr Lee', timeZone: 'Asia/Tokyo' },
      { htmx: true },
    );
    expect(saved.status).toBe(200);
    await t.live.idle();
    await flush(sockets);
    const got = received(sockets, marks);
    for (const r of got.slice(0, viewers.length)) {
      expect(r.count).toBe(1);
      expect(r.bytes).toBeLessThan(2 * KB);
      expect(textOf(elementById(r.messages[0]!, ids.scheduleHead)!)).toContain('Clinic on Tokyo time');
      expect(r.messages[0]).not.toContain(`id="${ids.slotList}"`);
    }
    expect(probe.count('head')).toBe(3); // one per zone
    for (const [i] of hosts.entries()) {
      const list = elementById(got[viewers.length + i]!.messages.join(''), ids.slotList)!;
      // The first slot, 00:00 UTC on 4 January, reads 09:00 in Tokyo (it was 19:00 on the 3rd in New York).
      expect(textOf(elementById(list, slotId(slots[0]!.id))!)).toContain('09:00–09:30');
      expect(list).not.toContain(`id="${daySectionId('2027-01-03')}"`);
      expect(list.match(/<li id="slot-/g)?.length).toBe(SLOT_COUNT);
    }
  });
});
