/**
 * A change to one room reaches open grids as that room's row only: a rename or an hours change
 * pushes its cells and nothing of the other rooms, rendered once per distinct view, unless the
 * grid's columns or the order of its rooms change with it (then, as when a room is added or
 * archived, the grid is sent whole).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listActiveRooms, type Room } from '../../src/domain/rooms.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { ids, roomCellId, roomRowId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type CookieJar, elementById, post, registerAs, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

const DATE = '2027-03-16'; // a Tuesday; rooms' hours are in New York
const at = (hour: number) => hourBlocksOfDate(DATE, 'America/New_York')[hour]!.startsAt;

/** The rooms whose cell buttons a message carries, and how many cells each. */
function cellsByRoom(message: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of message.matchAll(/<button id="cell-([0-9a-f-]{36})-\d+"/g))
    counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
  return counts;
}

describe.each(databaseKinds)('room row pushes on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  const sockets: LiveClient[] = [];
  let ann: CookieJar;
  let cy: CookieJar;
  let byName: Record<string, Room>;

  beforeEach(async () => {
    t = createTestApp(database.current.db);
    server = await startServer(t.app);
    ann = await registerAs(t.app, 'ann');
    cy = await registerAs(t.app, 'cy', { timeZone: 'Europe/London' });
    for (const name of ['Aspen', 'Birch', 'Cedar']) {
      expect(
        (
          await post(
            t.app,
            paths.newRoom(),
            { name, description: '', open2: 'on', from2: '9', to2: '17' },
            { jar: ann },
          )
        ).status,
      ).toBe(303);
    }
    byName = Object.fromEntries((await listActiveRooms(database.current.db)).map((room) => [room.name, room]));
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await t.live.close();
    await server.close();
  });

  async function watch(jar: CookieJar, query: Parameters<typeof paths.accountLive>[0]): Promise<LiveClient> {
    const socket = await connectLive(`${server.url.replace('http', 'ws')}${paths.accountLive(query)}`, {
      origin: server.origin,
      cookie: jar.header(),
    });
    sockets.push(socket);
    await socket.waitFor((m) => m.includes(`id="${ids.roomGrid}"`));
    return socket;
  }

  const pushAfter = (socket: LiveClient, from: number) =>
    socket.waitFor((m) => m.includes(roomCellId(byName.Aspen!.id, at(12))), { from });

  it('pushes only the renamed room’s row to each open grid, in each viewer’s own zone', async () => {
    const london = await watch(cy, { date: DATE });
    const newYork = await watch(ann, { date: DATE });
    const highlighting = await watch(cy, { date: DATE, with: 'ann' });
    const marks = [london, newYork, highlighting].map((s) => s.mark());
    const aspen = byName.Aspen!;

    expect(
      (await post(t.app, paths.room(aspen.id), { name: 'Aspen (2nd floor)', description: '' }, { jar: ann })).status,
    ).toBe(200);
    const [pushed, own, highlighted] = await Promise.all([
      pushAfter(london, marks[0]!),
      pushAfter(newYork, marks[1]!),
      pushAfter(highlighting, marks[2]!),
    ]);
    for (const message of [pushed, own, highlighted]) {
      expect(cellsByRoom(message)).toEqual(new Map([[aspen.id, 13]])); // the reader's 07:00 to 19:00, Aspen's only
      expect(message).not.toContain(`id="${ids.roomGrid}"`);
      expect(message).toMatch(new RegExp(`^<tr id="${roomRowId(aspen.id)}" role="row" hx-swap-oob="true">`));
    }
    // London reads it in its own columns (New York is already on summer time), with the room's clock.
    expect(elementById(pushed, roomCellId(aspen.id, at(10)))).toContain(
      'aria-label="Aspen (2nd floor), Tue 16 Mar, 14:00–15:00, open"',
    );
    expect(textOf(elementById(pushed, roomCellId(aspen.id, at(10)))!)).toContain('10:00 room time');
    expect(elementById(own, roomCellId(aspen.id, at(10)))).toContain(
      'aria-label="Aspen (2nd floor), Tue 16 Mar, 10:00–11:00, open"',
    );
    expect(textOf(elementById(own, roomCellId(aspen.id, at(10)))!)).not.toContain('room time');
    expect(elementById(highlighted, roomCellId(aspen.id, at(10)))).toContain('cell--free');
    expect(textOf(elementById(pushed, roomRowId(aspen.id))!)).toContain('Aspen (2nd floor)');
  });

  it('pushes only that room’s row for an hours change that keeps the grid’s columns', async () => {
    const watcher = await watch(cy, { date: DATE });
    const aspen = byName.Aspen!;
    const mark = watcher.mark();
    expect(
      (await post(t.app, paths.roomHours(aspen.id), { open2: 'on', from2: '12', to2: '17' }, { jar: ann })).status,
    ).toBe(200);
    const pushed = await pushAfter(watcher, mark);
    expect(cellsByRoom(pushed)).toEqual(new Map([[aspen.id, 13]]));
    expect(elementById(pushed, roomCellId(aspen.id, at(10)))).toContain('14:00–15:00, closed"');
    expect(elementById(pushed, roomCellId(aspen.id, at(12)))).toContain('16:00–17:00, open"');

    // A single hour closed on the date: the same.
    const next = watcher.mark();
    expect(
      (await post(t.app, paths.roomOverrides(aspen.id), { date: DATE, hour: '13', open: '0' }, { jar: ann })).status,
    ).toBe(200);
    const closed = await pushAfter(watcher, next);
    expect(cellsByRoom(closed)).toEqual(new Map([[aspen.id, 13]]));
    expect(elementById(closed, roomCellId(aspen.id, at(13)))).toContain('17:00–18:00, closed"');
  });

  it('sends the grid whole when the order of rooms changes, or a room is added or archived; hours never change the columns', async () => {
    const watcher = await watch(cy, { date: DATE });
    const aspen = byName.Aspen!;
    const wholeAfter = (from: number) => watcher.waitFor((m) => m.includes(`id="${ids.roomGrid}"`), { from });

    // Aspen opens at 08:00: the columns are the reader's hours, so still its row alone.
    let mark = watcher.mark();
    expect(
      (await post(t.app, paths.roomHours(aspen.id), { open2: 'on', from2: '8', to2: '17' }, { jar: ann })).status,
    ).toBe(200);
    const row = await pushAfter(watcher, mark);
    expect(cellsByRoom(row)).toEqual(new Map([[aspen.id, 13]]));
    expect(elementById(row, roomCellId(aspen.id, at(8)))).toContain('12:00–13:00, open"');

    // Renamed to sort last: the rows change order.
    mark = watcher.mark();
    expect((await post(t.app, paths.room(aspen.id), { name: 'Zelkova', description: '' }, { jar: ann })).status).toBe(
      200,
    );
    const whole = await wholeAfter(mark);
    const order = [...whole.matchAll(/<tr id="room-row-([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(order).toEqual([byName.Birch!.id, byName.Cedar!.id, aspen.id]);

    // After a whole grid, a change that keeps the layout is a row again.
    mark = watcher.mark();
    expect(
      (await post(t.app, paths.room(aspen.id), { name: 'Zelkova (3rd floor)', description: '' }, { jar: ann })).status,
    ).toBe(200);
    expect(cellsByRoom(await pushAfter(watcher, mark))).toEqual(new Map([[aspen.id, 13]]));

    mark = watcher.mark();
    expect(
      (
        await post(
          t.app,
          paths.newRoom(),
          { name: 'Douglas', description: '', open2: 'on', from2: '9', to2: '17' },
          { jar: ann },
        )
      ).status,
    ).toBe(303);
    expect(textOf(await wholeAfter(mark))).toContain('Douglas');

    mark = watcher.mark();
    expect((await post(t.app, paths.roomArchive(byName.Birch!.id), {}, { jar: ann })).status).toBe(303);
    expect(cellsByRoom(await wholeAfter(mark)).has(byName.Birch!.id)).toBe(false);
    expect(t.errors).toEqual([]);
  });
});
