/**
 * Replacing the admin link: the new dashboard, the old link dead at once (pages, actions, sockets),
 * one winner when two replacements race, CSRF, and open dashboards on the old link told and closed
 * on every instance while visitors carry on.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schedules } from '../../src/db/schema.ts';
import { findScheduleByAdminKey, replaceAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import { listSlotsForSchedule } from '../../src/domain/slots.ts';
import { hashKey } from '../../src/domain/tokens.ts';
import { createInProcessBus } from '../../src/realtime/bus.ts';
import { CLOSE_LINK_REPLACED, type ScheduleViewer } from '../../src/realtime/schedule-feed.tsx';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, elementById, get, ORIGIN, post, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

/** Resolves with the code and reason the server closed the socket with. */
function closed(client: LiveClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    client.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

describe.each(databaseKinds)('replacing the admin link on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let adminKey: string;
  let schedule: Schedule;

  beforeEach(async () => {
    t = createTestApp(database.current.db, { config: { bookingRateLimit: 1000 } });
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
      end: '10:00',
      split: '30',
      notes: '',
    });
  });

  async function rotate(key: string, options: { jar?: CookieJar; htmx?: boolean } = {}) {
    return post(t.app, paths.adminRotate(key), {}, options);
  }

  it('offers the replacement in the settings area, saying what it does', async () => {
    const html = await (await get(t.app, paths.admin(adminKey))).text();
    const section = elementById(html, ids.dashboardLink)!;
    expect(textOf(section)).toContain('The current link stops working at once, in every open tab and on every device');
    expect(textOf(section)).toContain('Bookmark the new one');
    expect(section).toContain(`action="${paths.adminRotate(adminKey)}"`);
    expect(section).toMatch(/<button type="submit"[^>]*>\s*Replace the dashboard link/);
    // It comes after the settings form.
    expect(html.indexOf(`id="${ids.dashboardLink}"`)).toBeGreaterThan(html.indexOf(`id="${ids.settings}"`));
  });

  it('moves the dashboard to a new link that says so once; the old link is 404 at once, for pages and actions', async () => {
    const visitor = new CookieJar();
    await get(t.app, paths.schedule(schedule.publicId), { jar: visitor });
    const [slot] = await listSlotsForSchedule(database.current.db, schedule.id);
    expect(
      (
        await post(
          t.app,
          paths.claimSlot(schedule.publicId, slot!.id),
          { name: 'Ann', email: '' },
          { jar: visitor, htmx: true },
        )
      ).status,
    ).toBe(200);

    const jar = new CookieJar();
    const response = await rotate(adminKey, { jar });
    expect(response.status).toBe(303);
    const newKey = adminKeyOf(response.headers.get('location')!);
    expect(newKey).not.toBe(adminKey);
    expect(response.headers.getSetCookie().find((c) => c.startsWith('dashboard_replaced='))).toMatch(
      new RegExp(`Path=/admin/${newKey};.*HttpOnly`),
    );

    const fresh = await get(t.app, paths.admin(newKey), { jar });
    expect(fresh.status).toBe(200);
    const freshText = textOf(await fresh.text());
    expect(freshText).toContain('Your dashboard has a new link: this page');
    expect(freshText).toContain('The old link no longer works. Bookmark this page now');
    expect(freshText).toContain('Booked by Ann'); // the bookings are all there
    const again = textOf(await (await get(t.app, paths.admin(newKey), { jar })).text());
    expect(again).not.toContain('Your dashboard has a new link'); // said once

    for (const path of [paths.admin(adminKey), paths.adminCalendar(adminKey), paths.adminLive(adminKey)]) {
      const old = await get(t.app, path);
      expect(old.status, path).toBe(404);
      expect(textOf(await old.text()), path).toContain('We could not find that page');
    }
    for (const [path, form] of [
      [paths.adminSlots(adminKey), { date: '2027-03-17', start: '09:00', end: '10:00', split: '0', notes: '' }],
      [paths.adminSettings(adminKey), { title: 'Taken over', hostName: '', timeZone: 'UTC' }],
      [paths.adminDeleteSlot(adminKey, slot!.id), {}],
      [paths.adminRotate(adminKey), {}],
    ] as const) {
      expect((await post(t.app, path, form)).status, path).toBe(404);
    }
    const row = (await database.current.db.select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!;
    expect(row.adminKeyHash).toBe(hashKey(newKey)); // only the hash is stored
    expect(JSON.stringify(row)).not.toContain(newKey);
    expect(row.title).toBe('Mentoring');
    expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(2);

    // Visitors are unaffected: the same public link, their booking still theirs.
    const page = await get(t.app, paths.schedule(schedule.publicId), { jar: visitor });
    expect(page.status).toBe(200);
    expect(textOf(elementById(await page.text(), ids.myBooking)!)).toContain('Your booking');
  });

  it('answers htmx with HX-Redirect to the new dashboard', async () => {
    const response = await rotate(adminKey, { htmx: true });
    expect(response.status).toBe(200);
    const newKey = adminKeyOf(response.headers.get('hx-redirect')!);
    expect((await get(t.app, paths.admin(newKey))).status).toBe(200);
    expect((await get(t.app, paths.admin(adminKey))).status).toBe(404);
  });

  it('lets exactly one of several simultaneous replacements win', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => rotate(adminKey)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    // The others either lost in the UPDATE (409) or arrived after it committed (404).
    expect(statuses.every((s) => s === 303 || s === 409 || s === 404)).toBe(true);
    const winner = adminKeyOf(responses.find((r) => r.status === 303)!.headers.get('location')!);
    const loser = responses.find((r) => r.status === 409);
    if (loser) expect(textOf(await loser.text())).toContain('This dashboard link was already replaced');
    expect((await findScheduleByAdminKey(database.current.db, winner))?.id).toBe(schedule.id);
  });

  it('decides the race in the database: of ten replacements made with one key, one succeeds', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => replaceAdminKey(database.current.db, schedule.id, adminKey)),
    );
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    const row = (await database.current.db.select().from(schedules).where(eq(schedules.id, schedule.id)))[0]!;
    expect(row.adminKeyHash).toBe(hashKey((won[0] as { adminKey: string }).adminKey));
    expect(await replaceAdminKey(database.current.db, schedule.id, adminKey)).toEqual({ ok: false });
  });

  it('refuses a replacement posted from another site, and keeps the link', async () => {
    for (const headers of [
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      {} as Record<string, string>,
    ]) {
      const response = await t.app.request(paths.adminRotate(adminKey), {
        method: 'POST',
        body: new URLSearchParams({}),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      expect(response.status).toBe(403);
      expect(textOf(await response.text())).toContain('That request came from somewhere else');
    }
    expect((await get(t.app, paths.admin(adminKey))).status).toBe(200);
  });

  describe('open dashboards', () => {
    let server: TestServer;
    const clients: LiveClient[] = [];
    beforeEach(async () => {
      server = await startServer(t.app);
    });
    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      await t.live.close();
      await server.close();
    });

    const ws = (srv: TestServer, path: string, cookie?: string) =>
      connectLive(`${srv.url.replace('http', 'ws')}${path}`, {
        origin: srv.origin,
        ...(cookie ? { cookie } : {}),
      }).then((c) => {
        clients.push(c);
        return c;
      });

    it('tells a dashboard on the old link it was replaced and closes it for good; visitors and the new dashboard stay', async () => {
      const oldHost = await ws(server, paths.adminLive(adminKey));
      await oldHost.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      const visitorJar = new CookieJar();
      await get(t.app, paths.schedule(schedule.publicId), { jar: visitorJar });
      const visitor = await ws(server, paths.scheduleLive(schedule.publicId), visitorJar.header());
      await visitor.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      const hostClosed = closed(oldHost);
      const visitorMark = visitor.mark();

      const response = await rotate(adminKey);
      const newKey = adminKeyOf(response.headers.get('location')!);

      const gone = await oldHost.waitFor((m) => m.includes('This dashboard link was replaced'));
      const main = elementById(gone, ids.main)!;
      expect(main).toContain('hx-swap-oob="innerHTML"');
      expect(textOf(main)).toContain('It no longer works');
      expect(textOf(elementById(gone, ids.liveStatus)!)).toBe('Not live');
      expect(gone).not.toContain(newKey);
      const { code } = await hostClosed;
      expect(code).toBe(CLOSE_LINK_REPLACED);
      expect([1006, 1011, 1012, 1013]).not.toContain(code); // htmx-ext-ws will not reconnect

      // The old key cannot open a socket again; the new one can.
      await expect(ws(server, paths.adminLive(adminKey))).rejects.toThrow('upgrade refused: 404');
      const newHost = await ws(server, paths.adminLive(newKey));
      await newHost.waitFor((m) => m.includes(`id="${ids.slotList}"`));

      // The visitor heard nothing of it, stays connected and still gets pushes, as does the new dashboard.
      expect(visitor.socket.readyState).toBe(visitor.socket.OPEN);
      const [slot] = await listSlotsForSchedule(database.current.db, schedule.id);
      const booker = new CookieJar();
      await get(t.app, paths.schedule(schedule.publicId), { jar: booker });
      const hostMark = newHost.mark();
      await post(
        t.app,
        paths.claimSlot(schedule.publicId, slot!.id),
        { name: 'Ann', email: '' },
        { jar: booker, htmx: true },
      );
      await visitor.waitFor((m) => m.includes('was just booked'), { from: visitorMark });
      await newHost.waitFor((m) => m.includes('Booked by'), { from: hostMark });
      expect(visitor.messages.some((m) => m.includes('dashboard link'))).toBe(false);
      expect(newHost.socket.readyState).toBe(newHost.socket.OPEN);
    });

    it('closes dashboards on the old link on every instance sharing the bus', async () => {
      const bus = createInProcessBus();
      const a = createTestApp(database.current.db, { bus });
      const b = createTestApp(database.current.db, { bus });
      const serverA = await startServer(a.app);
      const serverB = await startServer(b.app);
      try {
        const onA = await ws(serverA, paths.adminLive(adminKey));
        const onB = await ws(serverB, paths.adminLive(adminKey));
        for (const socket of [onA, onB]) await socket.waitFor((m) => m.includes(`id="${ids.slotList}"`));
        const closes = [closed(onA), closed(onB)];
        expect((await post(a.app, paths.adminRotate(adminKey), {})).status).toBe(303);
        await onB.waitFor((m) => m.includes('This dashboard link was replaced'));
        expect((await Promise.all(closes)).map((c) => c.code)).toEqual([CLOSE_LINK_REPLACED, CLOSE_LINK_REPLACED]);
      } finally {
        await a.live.close();
        await b.live.close();
        await serverA.close();
        await serverB.close();
      }
    });

    it('catches a dashboard that connects just after its link was replaced, and one whose event was lost', async () => {
      // Connects with a key replaced between the page check and the socket's first message.
      const sent: string[] = [];
      const closes: number[] = [];
      const fakeSocket = { send: (m: Buffer) => sent.push(m.toString()), close: (code: number) => closes.push(code) };
      const viewer: ScheduleViewer = {
        role: 'host',
        scheduleId: schedule.id,
        adminKey,
        origin: ORIGIN,
        show: 'upcoming',
        locale: 'en-GB',
      };
      expect((await replaceAdminKey(database.current.db, schedule.id, adminKey)).ok).toBe(true);
      const detach = t.live.schedules.connect(fakeSocket, viewer);
      await t.live.idle();
      detach();
      expect(closes).toEqual([CLOSE_LINK_REPLACED]);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('This dashboard link was replaced');
      expect(sent[0]).not.toContain(`id="${ids.slotList}"`); // no slots, no bookers' names

      // A replacement whose bus event never arrived (a dropped LISTEN connection): the resync
      // after the reconnect closes the dashboard.
      const other = await post(t.app, paths.createSchedule(), { timeZone: 'UTC' });
      const otherKey = adminKeyOf(other.headers.get('location')!);
      const otherSchedule = (await findScheduleByAdminKey(database.current.db, otherKey))!;
      const host = await ws(server, paths.adminLive(otherKey));
      await host.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      const hostClosed = closed(host);
      expect((await replaceAdminKey(database.current.db, otherSchedule.id, otherKey)).ok).toBe(true); // no event published
      await t.live.schedules.resyncAll();
      expect((await hostClosed).code).toBe(CLOSE_LINK_REPLACED);
    });
  });
});
