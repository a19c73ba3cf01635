/**
 * A room's own time zone through the room forms, and "Book for myself" from a cell: what is saved,
 * what is refused (with the message next to the field and every field kept), and where a booking
 * for oneself shows.
 */
import { describe, expect, it } from 'vitest';
import { listActiveRooms } from '../../src/domain/rooms.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { fieldErrorId, ids, roomCellId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { elementById, get, post, registerAs, textOf } from '../helpers/http.ts';

const DATE = '2027-03-16'; // a Tuesday
const at = (hour: number) => hourBlocksOfDate(DATE, 'America/New_York')[hour]!.startsAt;
const tuesday = { open2: 'on', from2: '9', to2: '17' };

describe.each(databaseKinds)('rooms’ zones and booking for oneself on %s', (kind) => {
  const database = useTestDatabase(kind);

  async function setup() {
    const t = createTestApp(database.current.db);
    const ann = await registerAs(t.app, 'ann', { displayName: 'Ann Example' });
    const bo = await registerAs(t.app, 'bo', { displayName: 'Bo Chen' });
    return { t, ann, bo };
  }

  it('offers the site zone or any zone, and refuses one it does not know, keeping every field', async () => {
    const { t, ann } = await setup();
    const form = await (await get(t.app, paths.newRoom(), { jar: ann })).text();
    expect(form).toContain('<option value="" selected="">Site zone (America/New_York)</option>');
    expect(form).toContain('<option value="Asia/Kolkata">');

    const refused = await post(
      t.app,
      paths.newRoom(),
      { name: 'Lotus', description: 'By the window', timeZone: 'Mars/Olympus_Mons', ...tuesday, to2: '15' },
      { jar: ann },
    );
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(textOf(elementById(html, fieldErrorId('room', 'timeZone'))!)).toContain(
      '"Mars/Olympus_Mons" is not a time zone we know',
    );
    expect(html).toContain('value="Lotus"');
    expect(html).toContain('By the window</textarea>');
    expect(html).toContain('<option value="Mars/Olympus_Mons" selected="">');
    expect(html).toMatch(/name="to2"[\s\S]*?<option value="15" selected="">/);
    expect(await listActiveRooms(database.current.db)).toEqual([]);

    const saved = await post(
      t.app,
      paths.newRoom(),
      { name: 'Lotus', description: '', timeZone: 'Asia/Calcutta', ...tuesday },
      { jar: ann },
    );
    expect(saved.status).toBe(303);
    const [lotus] = await listActiveRooms(database.current.db);
    expect(lotus!.timeZone).toBe('Asia/Kolkata'); // the legacy id, as its current one
    const page = await (await get(t.app, paths.room(lotus!.id), { jar: ann })).text();
    expect(page).toContain('<option value="Asia/Kolkata" selected="">');
    expect(textOf(page)).toContain('Weekly open hours (Asia/Kolkata');
  });

  it('moves a room to another zone only while no invite would fall outside its hours', async () => {
    const { t, ann } = await setup();
    await post(t.app, paths.newRoom(), { name: 'Aspen', description: '', ...tuesday }, { jar: ann });
    const [aspen] = await listActiveRooms(database.current.db);
    expect(aspen!.timeZone).toBeNull();
    const booked = await post(
      t.app,
      paths.bookForMyself(),
      { room: aspen!.id, start: at(10).toISOString() },
      { jar: ann, htmx: true },
    );
    expect(booked.status).toBe(200);
    const moved = await post(
      t.app,
      paths.room(aspen!.id),
      // 10:00 in New York is 23:00 in Tokyo, when the room would be closed.
      { name: 'Aspen', description: 'Renamed too', timeZone: 'Asia/Tokyo' },
      { jar: ann },
    );
    expect(moved.status).toBe(409);
    const html = await moved.text();
    expect(textOf(elementById(html, fieldErrorId('room', 'timeZone'))!)).toContain('Not moved');
    expect(textOf(html)).toContain('a meeting');
    expect(html).toContain('Renamed too</textarea>');
    // The same zone by name is no move at all.
    const same = await post(
      t.app,
      paths.room(aspen!.id),
      { name: 'Aspen', description: '', timeZone: 'America/New_York' },
      { jar: ann },
    );
    expect(same.status).toBe(200);
    expect((await listActiveRooms(database.current.db))[0]!.timeZone).toBe('America/New_York');
  });

  it('books an open cell for oneself: a meeting with nobody else, shown in the grid and under Invites, cancellable', async () => {
    const { t, ann, bo } = await setup();
    await post(t.app, paths.newRoom(), { name: 'Aspen', description: '', ...tuesday }, { jar: ann });
    const [aspen] = await listActiveRooms(database.current.db);
    const cell = `${aspen!.id}@${at(11).toISOString()}`;
    const panel = await (
      await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(cell)}`, { jar: ann, htmx: true })
    ).text();
    expect(panel).toContain(`action="${paths.bookForMyself()}"`);
    expect(textOf(panel)).toContain('Book for myself');

    // Without JavaScript: a plain form POST, then back to the grid.
    const plain = await post(
      t.app,
      paths.bookForMyself(),
      { room: aspen!.id, start: at(11).toISOString() },
      { jar: ann },
    );
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe(paths.rooms({ date: DATE }));
    const grid = await (await get(t.app, paths.rooms({ date: DATE }), { jar: bo })).text();
    expect(elementById(grid, roomCellId(aspen!.id, at(11)))).toContain('11:00–12:00, booked"');

    // Taken: refused with the reason, for the organizer and for anyone else.
    const again = await post(
      t.app,
      paths.bookForMyself(),
      { room: aspen!.id, start: at(11).toISOString() },
      { jar: bo, htmx: true },
    );
    expect(again.status).toBe(409);
    // A closed hour and a past one.
    const closed = await post(
      t.app,
      paths.bookForMyself(),
      { room: aspen!.id, start: at(18).toISOString() },
      { jar: bo, htmx: true },
    );
    expect(closed.status).toBe(409);
    expect(textOf(await closed.text())).toContain('closed');

    const inbox = await (await get(t.app, paths.inbox({ box: 'sent' }), { jar: ann })).text();
    expect(textOf(inbox)).toContain('Booked for yourself');
    const id = /\/invites\/([0-9a-f-]{36})\/cancel/.exec(inbox)![1]!;
    const calendar = await get(t.app, paths.meetingCalendar(id), { jar: ann });
    expect(calendar.status).toBe(200);
    expect(await calendar.text()).toContain('Booked by Ann Example');
    // Only its organizer may cancel it.
    expect((await post(t.app, paths.inviteAction(id, 'cancel'), {}, { jar: bo })).status).toBe(404);
    const cancelled = await post(
      t.app,
      paths.inviteAction(id, 'cancel'),
      {},
      { jar: ann, htmx: true, headers: { 'hx-target': ids.cellPanel } },
    );
    expect(cancelled.status).toBe(200);
    const after = await (await get(t.app, paths.rooms({ date: DATE }), { jar: bo })).text();
    expect(elementById(after, roomCellId(aspen!.id, at(11)))).toContain('11:00–12:00, open"');
  });
});
