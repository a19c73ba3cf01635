/**
 * The grid in the reader's own time: the date and "today" follow the reader's zone (never the
 * server's), columns are the reader's hours (a working day, earlier and later a link away), each
 * room's blocks sit in the column of the reader's hour in which they start, labelled with their
 * exact start when it is off the hour (a room in Kolkata seen from New York), and a hold is pushed
 * live to a page whose day covers it, through the topic of the second UTC date that day touches.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listActiveRooms, type Room } from '../../src/domain/rooms.ts';
import { ids, roomCellId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import type { FeedProbe } from '../../src/realtime/fan-out.ts';
import { createClock, createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type CookieJar, elementById, get, post, registerAs, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

// Tuesday 16 March 2027, 21:15 in New York (EDT, UTC−4): already Wednesday in UTC.
const NOW = new Date('2027-03-17T01:15:00Z');
const TUESDAY = '2027-03-16';
const WEDNESDAY = '2027-03-17';
const HOUR = 3_600_000;
/** 09:00 on Wednesday in New York, and the hours after it. */
const nyWednesday = (hour: number) => new Date(Date.parse('2027-03-17T13:00:00Z') + (hour - 9) * HOUR);
const weekdays = (from: number, to: number) =>
  Object.fromEntries(
    [1, 2, 3, 4, 5].flatMap((d) => [
      [`open${d}`, 'on'],
      [`from${d}`, String(from)],
      [`to${d}`, String(to)],
    ]),
  );

/** The state words of a room's cells, by the reader's hour of their column. */
function statesByHour(html: string, room: Room): Map<number, string> {
  const row = elementById(html, `room-row-${room.id}`)!;
  const states = new Map<number, string>();
  for (const match of row.matchAll(/aria-label="[^"]*?, (\d\d):\d\d–[^"]*?, ([a-z ,]+)"/g))
    states.set(Number(match[1]), match[2]!);
  return states;
}

describe.each(databaseKinds)('the grid in the reader’s time on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  const sockets: LiveClient[] = [];
  let marissa: CookieJar;
  let lee: CookieJar;
  let hudson: Room;
  let lotus: Room;
  /** Renders per distinct view of the live feed. */
  const renders = new Map<string, number>();
  const probe: FeedProbe = { rendered: (view) => renders.set(view, (renders.get(view) ?? 0) + 1) };

  beforeEach(async () => {
    t = createTestApp(database.current.db, { clock: createClock(NOW), probe });
    server = await startServer(t.app);
    // Profiles say UTC: the device's zone (the tz cookie public/app.js keeps) is what counts.
    marissa = await registerAs(t.app, 'marissa', { displayName: 'Marissa Lopez', timeZone: 'UTC' });
    marissa.set('tz', 'America/New_York');
    lee = await registerAs(t.app, 'lee', { displayName: 'Lee Park', timeZone: 'UTC' });
    lee.set('tz', 'America/Denver');
    const add = (fields: Record<string, string>) => post(t.app, paths.newRoom(), fields, { jar: marissa });
    expect(
      (await add({ name: 'Hudson', description: '', timeZone: 'America/New_York', ...weekdays(9, 17) })).status,
    ).toBe(303);
    // Kolkata (UTC+5:30): Wednesday 18–23 there is 08:30–13:30 in New York; Thursday 05–07 is
    // Wednesday 19:30–21:30 in New York, the second of them on Thursday in UTC.
    const kolkataHours = { open3: 'on', from3: '18', to3: '23', open4: 'on', from4: '5', to4: '7' };
    expect((await add({ name: 'Lotus', description: '', timeZone: 'Asia/Kolkata', ...kolkataHours })).status).toBe(303);
    const rooms = await listActiveRooms(database.current.db);
    hudson = rooms.find((r) => r.name === 'Hudson')!;
    lotus = rooms.find((r) => r.name === 'Lotus')!;
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await t.live.close();
    await server.close();
  });

  it('opens on the reader’s today, not the server’s, and survives a bad date or window', async () => {
    const page = await (await get(t.app, paths.rooms(), { jar: marissa })).text();
    expect(textOf(page)).toContain('Tuesday 16 March 2027 (today)');
    expect(page).toContain(`ws-connect="/live?date=${TUESDAY}&amp;zone=America%2FNew_York"`);
    // Today's New York hours have all begun by 21:15.
    expect(new Set(statesByHour(page, hudson).values())).toEqual(new Set(['past']));

    const odd = await get(t.app, `${paths.rooms()}?date=2027-02-31&from=abc&to=99`, { jar: marissa });
    expect(odd.status).toBe(200);
    const clamped = await (
      await get(t.app, `${paths.rooms()}?date=${WEDNESDAY}&from=23&to=5`, { jar: marissa })
    ).text();
    expect([...statesByHour(clamped, hudson).keys()]).toEqual([23]);
    expect(textOf(clamped)).toContain('Earlier (00:00–23:00)');
  });

  it('puts a New York room’s 09–17 in New York’s and Denver’s own columns', async () => {
    const expected = (open: number[]) =>
      new Map([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((h) => [h, open.includes(h) ? 'open' : 'closed']));
    const ny = await (await get(t.app, paths.rooms({ date: WEDNESDAY }), { jar: marissa })).text();
    expect(statesByHour(ny, hudson)).toEqual(expected([9, 10, 11, 12, 13, 14, 15, 16]));
    const denver = await (await get(t.app, paths.rooms({ date: WEDNESDAY }), { jar: lee })).text();
    expect(statesByHour(denver, hudson)).toEqual(expected([7, 8, 9, 10, 11, 12, 13, 14]));
    // The same cell by id in both, named in each reader's time, with the room's clock for Denver.
    const nine = roomCellId(hudson.id, nyWednesday(9));
    expect(elementById(ny, nine)).toContain('aria-label="Hudson, Wed 17 Mar, 09:00–10:00, open"');
    expect(elementById(denver, nine)).toContain('aria-label="Hudson, Wed 17 Mar, 07:00–08:00, open"');
    expect(textOf(elementById(denver, nine)!)).toContain('09:00 room time');
    // Later hours are a link away; the window is in the page's links and its socket.
    expect(denver).toContain(`href="/rooms?date=${WEDNESDAY}&amp;from=7&amp;to=24"`);
    const later = await (await get(t.app, paths.rooms({ date: WEDNESDAY, from: 7, to: 24 }), { jar: lee })).text();
    expect([...statesByHour(later, hudson).keys()]).toHaveLength(17);
    expect(later).toContain('&amp;from=7&amp;to=24"');
  });

  it('writes the dates and times in the reader’s locale', async () => {
    const us = await (
      await get(t.app, paths.rooms({ date: WEDNESDAY }), { jar: marissa, headers: { 'accept-language': 'en-US' } })
    ).text();
    const cell = elementById(us, roomCellId(hudson.id, nyWednesday(14)))!;
    expect(cell).toMatch(/aria-label="Hudson, Wed, Mar 17, 2:00\s?–\s?3:00\sPM, open"/);
    expect(textOf(us)).toContain('Wednesday, March 17, 2027');
  });

  it('sits a Kolkata room’s blocks at :30 in a New York grid, labelled with their start and the room’s clock', async () => {
    const ny = await (await get(t.app, paths.rooms({ date: WEDNESDAY }), { jar: marissa })).text();
    // 18:00 in Kolkata is 08:30 in New York: the 08:00 column.
    const first = elementById(ny, roomCellId(lotus.id, nyWednesday(8)))!;
    expect(first).toContain('aria-label="Lotus, Wed 17 Mar, 08:30–09:30, open"');
    expect(first).toContain(`value="${lotus.id}@2027-03-17T12:30:00.000Z"`);
    expect(textOf(first)).toContain('08:30');
    expect(textOf(first)).toContain('18:00 room time');
    expect(first).toContain('cell-time--off');
    expect(statesByHour(ny, lotus)).toEqual(
      new Map([
        [7, 'closed'],
        [8, 'open'],
        [9, 'open'],
        [10, 'open'],
        [11, 'open'],
        [12, 'open'],
        [13, 'closed'],
        [14, 'closed'],
        [15, 'closed'],
        [16, 'closed'],
        [17, 'closed'],
        [18, 'closed'],
        [19, 'open'], // Thursday 05:00 in Kolkata
      ]),
    );
    // Its panel reads in New York's time, with the room's own.
    const panel = await (
      await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(`${lotus.id}@2027-03-17T12:30:00.000Z`)}`, {
        jar: marissa,
        htmx: true,
      })
    ).text();
    expect(textOf(panel)).toContain('Invite someone to Lotus, Wed 17 Mar 2027, 08:30–09:30');
    expect(textOf(panel)).toContain('The room’s own time: Wed 17 Mar 2027, 18:00–19:00 (Asia/Kolkata)');
  });

  it('pushes a hold to a page whose day covers it through the second UTC date’s topic', async () => {
    const socket = await connectLive(
      `${server.url.replace('http', 'ws')}${paths.accountLive({ date: WEDNESDAY, zone: 'America/New_York', from: 7, to: 24 })}`,
      { origin: server.origin, cookie: lee.header() },
    );
    sockets.push(socket);
    const opened = await socket.waitFor((m) => m.includes(`id="${ids.roomGrid}"`));
    // Thursday 06:00 in Kolkata: Wednesday 20:30 in New York, Thursday 00:30 in UTC.
    const block = new Date('2027-03-18T00:30:00Z');
    const cellId = roomCellId(lotus.id, new Date('2027-03-18T00:00:00Z'));
    expect(elementById(opened, cellId)).toContain('aria-label="Lotus, Wed 17 Mar, 20:30–21:30, open"');
    const mark = socket.mark();
    const booked = await post(
      t.app,
      paths.bookForMyself(),
      { room: lotus.id, start: block.toISOString() },
      { jar: marissa, htmx: true },
    );
    expect(booked.status).toBe(200);
    const pushed = await socket.waitFor((m) => m.includes(cellId), { from: mark });
    expect(elementById(pushed, cellId)).toContain('aria-label="Lotus, Wed 17 Mar, 20:30–21:30, booked"');
    expect(textOf(elementById(pushed, cellId)!)).toContain('Marissa Lopez');
    expect(t.errors).toEqual([]);
  });

  it('renders a pushed cell once per distinct view: six pages in two zones and two languages are three renders', async () => {
    const open = async (zone: string, language: string) => {
      const socket = await connectLive(
        `${server.url.replace('http', 'ws')}${paths.accountLive({ date: WEDNESDAY, zone })}`,
        { origin: server.origin, cookie: lee.header(), headers: { 'accept-language': language } },
      );
      sockets.push(socket);
      await socket.waitFor((m) => m.includes(`id="${ids.roomGrid}"`));
      return socket;
    };
    const views = [
      ['America/New_York', 'en-GB'],
      ['America/New_York', 'de'],
      ['America/Denver', 'en-GB'],
    ] as const;
    const pages = [];
    for (const [zone, language] of [...views, ...views])
      pages.push({ zone, language, socket: await open(zone, language) });
    renders.clear();
    const marks = pages.map((page) => page.socket.mark());
    const two = nyWednesday(14);
    const booked = await post(
      t.app,
      paths.bookForMyself(),
      { room: hudson.id, start: two.toISOString() },
      { jar: marissa, htmx: true },
    );
    expect(booked.status).toBe(200);
    const cellId = roomCellId(hudson.id, two);
    const pushed = await Promise.all(
      pages.map((page, i) => page.socket.waitFor((m) => m.includes(cellId), { from: marks[i] })),
    );
    const labels = pushed.map((m) => /aria-label="([^"]+)"/.exec(elementById(m, cellId)!)![1]);
    expect(labels[0]).toBe('Hudson, Wed 17 Mar, 14:00–15:00, booked');
    expect(labels[1]).toMatch(/^Hudson, Mi\., 17\. März, 14:00\s?–\s?15:00 Uhr, booked$/);
    expect(labels[2]).toBe('Hudson, Wed 17 Mar, 12:00–13:00, booked');
    expect(labels.slice(3)).toEqual(labels.slice(0, 3));
    const cellRenders = [...renders.entries()].filter(([view]) => view.startsWith('account|'));
    expect(cellRenders.map(([, n]) => n)).toEqual([1, 1, 1]);
  });
});
