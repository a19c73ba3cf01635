/**
 * Invites over real sockets: the invitee's pop-up arrives live in their zone, the inviter's answer
 * pop-up too, a grid watcher sees the cell go pending then booked, and expiry tells both people.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHoursSpec } from '../../src/domain/availability.ts';
import { createInvite } from '../../src/domain/invites.ts';
import { listUnseenNotices } from '../../src/domain/notifications.ts';
import { createRoom, listActiveRooms } from '../../src/domain/rooms.ts';
import { startHourly } from '../../src/realtime/hourly.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { ids, invitePopupId, roomCellId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { WAIT } from '../helpers/patience.ts';
import { type CookieJar, elementById, post, registerAs, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

const DATE = '2027-03-16';
const at = (hour: number) => hourBlocksOfDate(DATE, 'America/New_York')[hour]!.startsAt;
/** A push takes a pop-up off the page by id (pushes carry changes, not every pop-up). */
const removes = (message: string, popupId: string) => message.includes(`<div id="${popupId}" hx-swap-oob="delete">`);

describe.each(databaseKinds)('invites live on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  const sockets: LiveClient[] = [];
  let people: Record<string, { jar: CookieJar; id: string }>;
  let roomId: string;

  beforeEach(async () => {
    t = createTestApp(database.current.db);
    server = await startServer(t.app);
    people = {};
    for (const [name, zone] of [
      ['ann', 'America/New_York'],
      ['bo', 'America/Denver'],
      ['cy', 'Europe/London'],
    ] as const) {
      const jar = await registerAs(t.app, name, { displayName: name.toUpperCase(), timeZone: zone });
      people[name] = { jar, id: (await findUserByUsername(database.current.db, name))!.id };
    }
    await post(
      t.app,
      paths.newRoom(),
      { name: 'Aspen', description: '', open2: 'on', from2: '9', to2: '17' },
      { jar: people.ann!.jar },
    );
    roomId = (await listActiveRooms(database.current.db))[0]!.id;
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await t.live.close();
    await server.close();
  });

  async function socketFor(name: string, query: Parameters<typeof paths.accountLive>[0] = {}): Promise<LiveClient> {
    const socket = await connectLive(`${server.url.replace('http', 'ws')}${paths.accountLive(query)}`, {
      origin: server.origin,
      cookie: people[name]!.jar.header(),
    });
    sockets.push(socket);
    await socket.waitFor((m) => m.includes(`id="${ids.popups}"`));
    return socket;
  }

  const invite = (from: string, to: string, hour: number) =>
    post(
      t.app,
      paths.sendInvite(),
      { room: roomId, start: at(hour).toISOString(), invitee: people[to]!.id, note: 'Hello' },
      { jar: people[from]!.jar, htmx: true },
    );

  it('pops the invite up for the invitee at once, in their zone, and the answer for the inviter', async () => {
    const bo = await socketFor('bo');
    const ann = await socketFor('ann');
    const watcher = await socketFor('cy', { date: DATE });
    const marks = { bo: bo.mark(), ann: ann.mark(), watcher: watcher.mark() };

    const started = performance.now();
    expect((await invite('ann', 'bo', 10)).status).toBe(200);
    const popup = await bo.waitFor((m) => m.includes('<dialog'), { from: marks.bo });
    console.log(`invite → invitee's pop-up on the socket: ${(performance.now() - started).toFixed(1)} ms (${kind})`);
    const inviteId = /popup-invite-([0-9a-f-]{36})/.exec(popup)![1]!;
    expect(textOf(elementById(popup, invitePopupId(inviteId))!)).toContain('ANN (@ann) invites you to a meeting');
    expect(textOf(popup)).toContain('Tue 16 Mar 2027, 08:00–09:00 (America/Denver)');
    expect(popup).toContain('hx-preserve="true"');
    expect(textOf(elementById(popup, ids.inboxCount)!)).toContain('1 waiting for your answer');

    const pending = await watcher.waitFor((m) => m.includes(roomCellId(roomId, at(10))), { from: marks.watcher });
    expect(elementById(pending, roomCellId(roomId, at(10)))).toContain('14:00–15:00, pending"'); // Cy reads it in London
    expect(textOf(elementById(pending, roomCellId(roomId, at(10)))!)).toContain('ANN → BO · 10:00 room time');

    const beforeAnswer = { ann: ann.mark(), watcher: watcher.mark(), bo: bo.mark() };
    const answered = performance.now();
    await post(
      t.app,
      paths.inviteAction(inviteId, 'accept'),
      {},
      { jar: people.bo!.jar, htmx: true, headers: { 'hx-target': ids.popupResults } },
    );
    const answer = await ann.waitFor((m) => m.includes('popup-notice-'), { from: beforeAnswer.ann });
    console.log(`accept → inviter's pop-up on the socket: ${(performance.now() - answered).toFixed(1)} ms (${kind})`);
    expect(textOf(answer)).toContain('BO (@bo) accepted your invite');
    const booked = await watcher.waitFor((m) => m.includes(roomCellId(roomId, at(10))), { from: beforeAnswer.watcher });
    expect(elementById(booked, roomCellId(roomId, at(10)))).toContain('14:00–15:00, booked"');
    // The invitee's own pop-up is taken off their page.
    await bo.waitFor((m) => removes(m, invitePopupId(inviteId)), { from: beforeAnswer.bo });
  });

  it('shows a room booked for oneself on other grids at once, and frees it live when cancelled', async () => {
    const watcher = await socketFor('cy', { date: DATE });
    const mark = watcher.mark();
    const booked = await post(
      t.app,
      paths.bookForMyself(),
      { room: roomId, start: at(14).toISOString() },
      { jar: people.ann!.jar, htmx: true },
    );
    expect(booked.status).toBe(200);
    expect(textOf(await booked.text())).toContain('Booked for yourself');
    const pushed = await watcher.waitFor((m) => m.includes(roomCellId(roomId, at(14))), { from: mark });
    expect(elementById(pushed, roomCellId(roomId, at(14)))).toContain('18:00–19:00, booked"');
    expect(textOf(elementById(pushed, roomCellId(roomId, at(14)))!)).toContain('ANN');
    // The hour is held now: inviting someone into it is refused.
    const review = await post(
      t.app,
      paths.reviewInvite(),
      { room: roomId, start: at(14).toISOString(), invitee: people.bo!.id },
      { jar: people.ann!.jar, htmx: true },
    );
    expect(review.status).toBe(409);
    // The grid panel offers the organizer Cancel.
    const panel = await (
      await t.app.request(`${paths.roomCellPage()}?cell=${encodeURIComponent(`${roomId}@${at(14).toISOString()}`)}`, {
        headers: { cookie: people.ann!.jar.header(), 'hx-request': 'true' },
      })
    ).text();
    expect(textOf(panel)).toContain('booked for yourself');
    const id = /\/invites\/([0-9a-f-]{36})\/cancel/.exec(panel)![1]!;
    const freed = watcher.mark();
    const cancelled = await post(
      t.app,
      paths.inviteAction(id, 'cancel'),
      {},
      { jar: people.ann!.jar, htmx: true, headers: { 'hx-target': ids.cellPanel } },
    );
    expect(cancelled.status).toBe(200);
    const open = await watcher.waitFor((m) => m.includes(roomCellId(roomId, at(14))), { from: freed });
    expect(elementById(open, roomCellId(roomId, at(14)))).toContain('18:00–19:00, open"');
  });

  it('tells the invitee when the sender withdraws, and both when an invite expires', async () => {
    const bo = await socketFor('bo');
    const ann = await socketFor('ann');
    const start = bo.mark();
    await invite('ann', 'bo', 10);
    await invite('ann', 'bo', 11);
    // Each push brings its own pop-up, in the order they were sent.
    const popupsSince = () =>
      bo.messages
        .slice(start)
        .flatMap((m) => [...m.matchAll(/<dialog id="popup-invite-([0-9a-f-]{36})"/g)].map((match) => match[1]!));
    await expect.poll(() => popupsSince().length, WAIT).toBe(2);
    const [first, second] = popupsSince();
    const mark = bo.mark();
    await post(
      t.app,
      paths.inviteAction(first!, 'withdraw'),
      {},
      { jar: people.ann!.jar, htmx: true, headers: { 'hx-target': ids.cellPanel } },
    );
    const withdrawn = await bo.waitFor((m) => m.includes('popup-notice-'), { from: mark });
    expect(textOf(withdrawn)).toContain('ANN (@ann) withdrew their invite');
    expect(removes(withdrawn, invitePopupId(first!))).toBe(true);

    // The hour of the second one starts: it expires once, and both people hear of it.
    t.clock.set(new Date(at(11).getTime() + 1000));
    const marks = { ann: ann.mark(), bo: bo.mark() };
    const hourly = startHourly({
      db: database.current.db,
      live: t.live,
      now: t.clock.now,
      siteZone: 'America/New_York',
      onError: (e) => t.errors.push(e),
    });
    try {
      await hourly.runNow();
      expect(textOf(await ann.waitFor((m) => m.includes('expired'), { from: marks.ann }))).toContain(
        'Your invite to BO (@bo) expired',
      );
      const boExpired = await bo.waitFor((m) => m.includes('expired'), { from: marks.bo });
      expect(textOf(boExpired)).toContain('The invite from ANN (@ann) expired');
      expect(removes(boExpired, invitePopupId(second!))).toBe(true);
    } finally {
      hourly.stop();
    }
  });

  it('expires an invite whose block starts at :30 within the minute, re-sending grids once a quarter hour', async () => {
    const created = await createRoom(
      database.current.db,
      { name: 'Kolkata', description: '', timeZone: 'Asia/Kolkata' },
      parseHoursSpec('Mon-Fri 09-17')!,
    );
    if (!created.ok) throw new Error('room not created');
    const startsAt = new Date('2027-03-16T03:30:00Z'); // 09:00 in Kolkata
    const sent = await createInvite(database.current.db, {
      inviterId: people.ann!.id,
      inviteeId: people.bo!.id,
      roomId: created.room.id,
      startsAt,
      note: '',
      now: t.clock.now(),
      zone: 'America/New_York',
    });
    expect(sent).toMatchObject({ ok: true, invite: { status: 'pending' } });
    let refreshes = 0;
    const refreshGrids = t.live.accounts.refreshGrids;
    t.live.accounts.refreshGrids = async () => {
      refreshes++;
      await refreshGrids();
    };
    t.clock.set(new Date(startsAt.getTime() - 60_000));
    const work = startHourly({
      db: database.current.db,
      live: t.live,
      now: t.clock.now,
      siteZone: 'America/New_York',
      onError: (e) => t.errors.push(e),
      firstRunAfterMs: 3_600_000,
    });
    try {
      await work.runNow();
      expect(await listUnseenNotices(database.current.db, people.bo!.id)).toEqual([]);
      expect(refreshes).toBe(1);
      // The minute after the block starts: expired, both told; a new quarter hour, so grids re-sent.
      t.clock.set(new Date(startsAt.getTime() + 1000));
      await work.runNow();
      expect((await listUnseenNotices(database.current.db, people.bo!.id)).map((n) => n.kind)).toEqual(['expired']);
      expect((await listUnseenNotices(database.current.db, people.ann!.id)).map((n) => n.kind)).toEqual(['expired']);
      expect(refreshes).toBe(2);
      // A minute later, within the same quarter hour: nothing more to re-send.
      t.clock.advance(60_000);
      await work.runNow();
      expect(refreshes).toBe(2);
    } finally {
      work.stop();
      t.live.accounts.refreshGrids = refreshGrids;
    }
  });

  it('shows cells passing into the past when an hour starts, on open grids', async () => {
    const watcher = await socketFor('cy', { date: DATE });
    t.clock.set(new Date(at(10).getTime() + 1000));
    const mark = watcher.mark();
    await t.live.accounts.refreshGrids();
    const grid = await watcher.waitFor((m) => m.includes(`id="${ids.roomGrid}"`), { from: mark });
    expect(elementById(grid, roomCellId(roomId, at(9)))).toContain('13:00–14:00, past"');
    expect(elementById(grid, roomCellId(roomId, at(10)))).toContain('14:00–15:00, past"');
    expect(elementById(grid, roomCellId(roomId, at(11)))).toContain('15:00–16:00, open"');
  });

  it('refuses a socket without a session or from another site', async () => {
    const url = `${server.url.replace('http', 'ws')}${paths.accountLive()}`;
    await expect(connectLive(url, { origin: server.origin })).rejects.toThrow('upgrade refused: 401');
    await expect(
      connectLive(url, { origin: 'https://evil.example', cookie: people.ann!.jar.header() }),
    ).rejects.toThrow('upgrade refused: 403');
  });
});
