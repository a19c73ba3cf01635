/** Rooms, the grid and invites through app.request(), each refusal with its message. */
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { listActiveRooms } from '../../src/domain/rooms.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { ids, invitePopupId, inviteRowId, roomCellId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type CookieJar, elementById, get, post, registerAs, textOf } from '../helpers/http.ts';

const DATE = '2027-03-16'; // a Tuesday; rooms' hours are in New York
const at = (hour: number) => hourBlocksOfDate(DATE, 'America/New_York')[hour]!.startsAt;

describe.each(databaseKinds)('rooms and invites on %s', (kind) => {
  const database = useTestDatabase(kind);

  async function setup() {
    const t = createTestApp(database.current.db);
    const ann = await registerAs(t.app, 'ann', { displayName: 'Ann Example' });
    const bo = await registerAs(t.app, 'bo', { displayName: 'Bo Chen', timeZone: 'America/Denver' });
    const weekly = {
      open1: 'on',
      from1: '9',
      to1: '17',
      open2: 'on',
      from2: '9',
      to2: '17',
      open3: 'on',
      from3: '9',
      to3: '17',
      open4: 'on',
      from4: '9',
      to4: '17',
      open5: 'on',
      from5: '9',
      to5: '17',
    };
    const created = await post(
      t.app,
      paths.newRoom(),
      { name: 'Aspen', description: 'Four seats', ...weekly },
      { jar: ann },
    );
    expect(created.status).toBe(303);
    const [aspen] = await listActiveRooms(database.current.db);
    const boId = (await findUserByUsername(database.current.db, 'bo'))!.id;
    return { t, ann, bo, aspen: aspen!, boId };
  }

  const cell = (roomId: string, hour: number) => `${roomId}@${at(hour).toISOString()}`;

  async function send(t: TestApp, jar: CookieJar, roomId: string, hour: number, invitee: string, note = '') {
    return post(
      t.app,
      paths.sendInvite(),
      { room: roomId, start: at(hour).toISOString(), invitee, note },
      { jar, htmx: true },
    );
  }

  it('shows the grid in the reader’s time: cells named "ROOM, day, hour, STATE", the room’s clock where it differs', async () => {
    const { t, ann, bo, aspen } = await setup();
    // Bo is in Denver (his profile; no device zone yet): New York's 10:00 is his 08:00.
    const html = await (await get(t.app, paths.rooms({ date: DATE }), { jar: bo })).text();
    const ten = elementById(html, roomCellId(aspen.id, at(10)))!;
    expect(ten).toContain('aria-label="Aspen, Tue 16 Mar, 08:00–09:00, open"');
    expect(textOf(ten)).toContain('10:00 room time');
    expect(elementById(html, roomCellId(aspen.id, at(9)))).toContain(
      'aria-label="Aspen, Tue 16 Mar, 07:00–08:00, open"',
    );
    expect(html).toContain(`ws-connect="/live?date=${DATE}&amp;zone=America%2FDenver"`);
    // Ann reads it in New York: no room time, the same cells by id.
    const own = await (await get(t.app, paths.rooms({ date: DATE }), { jar: ann })).text();
    expect(elementById(own, roomCellId(aspen.id, at(10)))).toContain(
      'aria-label="Aspen, Tue 16 Mar, 10:00–11:00, open"',
    );
    expect(textOf(elementById(own, roomCellId(aspen.id, at(10)))!)).not.toContain('room time');
    expect(textOf(html)).toContain('Previous day');
    expect(html).toContain(`href="/rooms?date=2027-03-17"`);
    expect(html).toMatch(/<a href="\/rooms" aria-current="page">Rooms<\/a>/);
  });

  it('opens the invite form from an open cell, and explains closed and past ones', async () => {
    const { t, ann, aspen } = await setup();
    const panel = await (
      await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(cell(aspen.id, 10))}`, {
        jar: ann,
        htmx: true,
      })
    ).text();
    expect(textOf(panel)).toContain('Invite someone to Aspen, Tue 16 Mar 2027, 10:00–11:00');
    expect(panel).toContain('<label for="invite-invitee">Invite</label>');
    expect(panel).toContain('Bo Chen (@bo)');
    expect(panel).not.toContain('Ann Example (ann)');
    const closedEvening = `${aspen.id}@${at(18).toISOString()}`;
    expect(
      textOf(
        await (
          await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(closedEvening)}`, {
            jar: ann,
            htmx: true,
          })
        ).text(),
      ),
    ).toContain('Aspen is closed then');
    expect((await get(t.app, `${paths.roomCellPage()}?cell=nonsense`, { jar: ann, htmx: true })).status).toBe(404);
    // Without JavaScript the same URL is the grid page with the panel open.
    const plain = await (
      await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(cell(aspen.id, 10))}`, { jar: ann })
    ).text();
    expect(plain).toMatch(/^<!DOCTYPE html>/);
    expect(textOf(plain)).toContain('Invite someone to Aspen');
    // The chosen cell is marked; an hour outside the working day is brought into view.
    expect(elementById(plain, roomCellId(aspen.id, at(10)))).toContain('aria-current="true"');
    const evening = await (
      await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(cell(aspen.id, 22))}`, { jar: ann })
    ).text();
    expect(elementById(evening, roomCellId(aspen.id, at(22)))).toContain('aria-current="true"');
    expect(evening).toContain('ws-connect="/live?date=2027-03-16&amp;zone=America%2FNew_York&amp;from=7&amp;to=23"');
  });

  it('without JavaScript, reviews and refusals answer with the grid page and the panel; a sent invite redirects to the grid', async () => {
    const { t, ann, aspen, boId } = await setup();
    const missing = await post(
      t.app,
      paths.reviewInvite(),
      { room: aspen.id, start: at(10).toISOString(), invitee: '', note: 'Quarterly plan' },
      { jar: ann },
    );
    expect(missing.status).toBe(422);
    const refused = await missing.text();
    expect(refused).toMatch(/^<!DOCTYPE html>/);
    expect(elementById(refused, 'invite-invitee-error')).toContain('Choose who to invite');
    expect(refused).toContain('Quarterly plan</textarea>');
    const review = await post(
      t.app,
      paths.reviewInvite(),
      { room: aspen.id, start: at(10).toISOString(), invitee: boId, note: 'Quarterly plan' },
      { jar: ann },
    );
    expect(review.status).toBe(200);
    expect(textOf(await review.text())).toContain('Review: invite to Aspen, Tue 16 Mar 2027, 10:00–11:00');
    const sent = await post(
      t.app,
      paths.sendInvite(),
      { room: aspen.id, start: at(10).toISOString(), invitee: boId, note: '' },
      { jar: ann },
    );
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(paths.rooms({ date: DATE }));
    const taken = await post(
      t.app,
      paths.sendInvite(),
      { room: aspen.id, start: at(10).toISOString(), invitee: boId, note: '' },
      { jar: ann },
    );
    expect(taken.status).toBe(409);
    expect(textOf(await taken.text())).toMatch(/Someone else just invited into this room|no longer open/);
  });

  it('reviews, then sends; the cell goes pending and the invitee’s pop-up waits for them', async () => {
    const { t, ann, bo, aspen, boId } = await setup();
    const missing = await post(
      t.app,
      paths.reviewInvite(),
      { room: aspen.id, start: at(10).toISOString(), invitee: '', note: '' },
      { jar: ann, htmx: true },
    );
    expect(missing.status).toBe(422);
    expect(elementById(await missing.text(), 'invite-invitee-error')).toContain('Choose who to invite');
    const review = await post(
      t.app,
      paths.reviewInvite(),
      { room: aspen.id, start: at(10).toISOString(), invitee: boId, note: 'Quarterly plan' },
      { jar: ann, htmx: true },
    );
    expect(review.status).toBe(200);
    const summary = textOf(await review.text());
    expect(summary).toContain('Review: invite to Aspen, Tue 16 Mar 2027, 10:00–11:00');
    expect(summary).toContain('For Bo Chen Tue 16 Mar 2027, 08:00–09:00 (America/Denver)');
    expect(summary).toContain('Send invite');
    const change = await post(
      t.app,
      paths.reviewInvite(),
      { room: aspen.id, start: at(10).toISOString(), invitee: boId, note: 'Quarterly plan', change: '1' },
      { jar: ann, htmx: true },
    );
    expect(await change.text()).toContain('Quarterly plan</textarea>');

    const sent = await send(t, ann, aspen.id, 10, boId, 'Quarterly plan');
    expect(sent.status).toBe(200);
    const html = await sent.text();
    expect(textOf(html)).toContain('Invite sent to Bo Chen');
    expect(elementById(html, roomCellId(aspen.id, at(10)))).toContain(
      'aria-label="Aspen, Tue 16 Mar, 10:00–11:00, pending"',
    );
    expect(elementById(html, roomCellId(aspen.id, at(10)))).toContain('hx-swap-oob="true"');

    // Bo was offline: the pop-up is in his next page.
    const page = await (await get(t.app, paths.inbox(), { jar: bo })).text();
    const popup = await (async () => {
      const inviteId = /id="popup-invite-([0-9a-f-]{36})"/.exec(page)![1]!;
      return elementById(page, invitePopupId(inviteId))!;
    })();
    expect(popup).toMatch(/^<dialog /);
    expect(textOf(popup)).toContain('Ann Example (@ann) invites you to a meeting');
    expect(textOf(popup)).toContain('Tue 16 Mar 2027, 08:00–09:00 (America/Denver)');
    expect(textOf(popup)).toContain('Quarterly plan');
    expect(textOf(elementById(page, ids.inboxCount)!)).toContain('1 waiting for your answer');
  });

  it('refuses a second invite into a held hour, past hours, closed hours and inviting oneself', async () => {
    const { t, ann, bo, aspen, boId } = await setup();
    await send(t, ann, aspen.id, 10, boId);
    const annId = (await findUserByUsername(database.current.db, 'ann'))!.id;
    const taken = await send(t, bo, aspen.id, 10, annId);
    expect(taken.status).toBe(409);
    expect(textOf(await taken.text())).toContain('Someone else just invited into this room for that hour');
    const self = await send(t, ann, aspen.id, 11, annId);
    expect(self.status).toBe(422);
    expect(textOf(await self.text())).toContain('other than yourself');
    // Friday 20 November 2026, 10:00 in New York, is before the test clock's Saturday.
    const yesterday = hourBlocksOfDate('2026-11-20', 'America/New_York')[10]!.startsAt.toISOString();
    const past = await post(
      t.app,
      paths.sendInvite(),
      { room: aspen.id, start: yesterday, invitee: boId, note: '' },
      { jar: ann, htmx: true },
    );
    expect(past.status).toBe(409);
    expect(textOf(await past.text())).toContain('already started');
    const closed = await send(t, ann, aspen.id, 8, boId);
    expect(closed.status).toBe(409);
    expect(textOf(await closed.text())).toContain('The room is closed at that hour.');
  });

  it('answers from the pop-up with a pop-up, from the inbox with the row, and tells the inviter', async () => {
    const { t, ann, bo, aspen, boId } = await setup();
    await send(t, ann, aspen.id, 10, boId, 'First');
    await send(t, ann, aspen.id, 11, boId, 'Second');
    const inbox = await (await get(t.app, paths.inbox(), { jar: bo })).text();
    const [first, second] = [...inbox.matchAll(/id="invite-([0-9a-f-]{36})"/g)].map((m) => m[1]!).reverse();

    const accepted = await post(
      t.app,
      paths.inviteAction(first!, 'accept'),
      {},
      { jar: bo, htmx: true, headers: { 'hx-target': ids.popupResults } },
    );
    expect(accepted.status).toBe(200);
    const result = await accepted.text();
    expect(result).toMatch(/^<dialog id="popup-result-/);
    expect(textOf(result)).toContain('You accepted: the room is booked for you both.');
    expect(result).toContain('Add to Google Calendar');

    const rejected = await post(
      t.app,
      paths.inviteAction(second!, 'reject'),
      {},
      { jar: bo, htmx: true, headers: { 'hx-target': inviteRowId(second!) } },
    );
    expect(textOf(await rejected.text())).toContain('Rejected');

    const again = await post(
      t.app,
      paths.inviteAction(first!, 'accept'),
      {},
      { jar: bo, htmx: true, headers: { 'hx-target': ids.popupResults } },
    );
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain('already answered');

    // Ann's next page carries both answers as pop-ups.
    const annPage = await (await get(t.app, paths.inbox({ box: 'sent' }), { jar: ann })).text();
    expect(textOf(annPage)).toContain('Bo Chen (@bo) accepted your invite');
    expect(textOf(annPage)).toContain('Bo Chen (@bo) rejected your invite');
    const grid = await (await get(t.app, paths.rooms({ date: DATE }), { jar: ann })).text();
    expect(elementById(grid, roomCellId(aspen.id, at(10)))).toContain('10:00–11:00, booked"');
    expect(elementById(grid, roomCellId(aspen.id, at(11)))).toContain('11:00–12:00, open"');

    // The meeting's calendar file, for its two people only.
    const ics = await get(t.app, paths.meetingCalendar(first!), { jar: ann });
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const [event] = new ICAL.Component(ICAL.parse(await ics.text()))
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    expect(event!.startDate.toJSDate().toISOString()).toBe(at(10).toISOString());
    expect(event!.summary).toBe('Ann Example & Bo Chen · Aspen');
    const stranger = await registerAs(t.app, 'cy');
    expect((await get(t.app, paths.meetingCalendar(first!), { jar: stranger })).status).toBe(404);
    expect(
      (
        await post(
          t.app,
          paths.inviteAction(first!, 'cancel'),
          {},
          { jar: stranger, htmx: true, headers: { 'hx-target': ids.cellPanel } },
        )
      ).status,
    ).toBe(404);
  });

  it('lets people dismiss their own notices only', async () => {
    const { t, ann, bo, aspen, boId } = await setup();
    await send(t, ann, aspen.id, 10, boId);
    const inviteId = /id="invite-([0-9a-f-]{36})"/.exec(
      await (await get(t.app, paths.inbox(), { jar: bo })).text(),
    )![1]!;
    await post(
      t.app,
      paths.inviteAction(inviteId, 'reject'),
      {},
      { jar: bo, htmx: true, headers: { 'hx-target': ids.popupResults } },
    );
    const page = await (await get(t.app, paths.inbox(), { jar: ann })).text();
    const noticeId = /id="popup-notice-([0-9a-f-]{36})"/.exec(page)![1]!;
    expect((await post(t.app, paths.dismissNotice(noticeId), {}, { jar: bo, htmx: true })).status).toBe(404);
    expect((await post(t.app, paths.dismissNotice(noticeId), {}, { jar: ann, htmx: true })).status).toBe(204);
    expect(await (await get(t.app, paths.inbox(), { jar: ann })).text()).not.toContain(`popup-notice-${noticeId}`);
  });

  it('filters and searches the inbox', async () => {
    const { t, ann, bo, aspen, boId } = await setup();
    await send(t, ann, aspen.id, 10, boId);
    await send(t, ann, aspen.id, 11, boId);
    const pending = await (
      await get(t.app, `${paths.inboxResults()}?box=received&status=pending&q=`, { jar: bo, htmx: true })
    ).text();
    expect(textOf(pending)).toContain('2 invites');
    const none = await (
      await get(t.app, `${paths.inboxResults()}?box=received&status=accepted&q=`, { jar: bo, htmx: true })
    ).text();
    expect(textOf(none)).toContain('Nothing here.');
    const search = await (
      await get(t.app, `${paths.inboxResults()}?box=sent&status=all&q=bo`, { jar: ann, htmx: true })
    ).text();
    expect(textOf(search)).toContain('2 invites');
    const noMatch = await (
      await get(t.app, `${paths.inboxResults()}?box=sent&status=all&q=zzz`, { jar: ann, htmx: true })
    ).text();
    expect(textOf(noMatch)).toContain('Nothing here.');
    const junk = await get(t.app, `${paths.inbox()}?box=<script>&status=nope&q=${'x'.repeat(500)}`, { jar: ann });
    expect(junk.status).toBe(200);
  });

  it('refuses closing or archiving what holds an invite, with the reason', async () => {
    const { t, ann, aspen, boId } = await setup();
    await send(t, ann, aspen.id, 10, boId);
    const close = await post(t.app, paths.roomOverrides(aspen.id), { date: DATE, hour: '10', open: '0' }, { jar: ann });
    expect(close.status).toBe(409);
    expect(textOf(await close.text())).toContain('Tue 16 Mar 2027, 10:00–11:00: a pending invite');
    const archive = await post(t.app, paths.roomArchive(aspen.id), {}, { jar: ann });
    expect(archive.status).toBe(409);
    const closeOther = await post(
      t.app,
      paths.roomOverrides(aspen.id),
      { date: DATE, hour: '11', open: '0' },
      { jar: ann },
    );
    expect(closeOther.status).toBe(200);
    expect(textOf(await closeOther.text())).toContain('That hour is closed on that date.');
    const weekly = await post(t.app, paths.roomHours(aspen.id), { open2: 'on', from2: '12', to2: '17' }, { jar: ann });
    expect(weekly.status).toBe(409);
    const backwards = await post(
      t.app,
      paths.roomHours(aspen.id),
      { open2: 'on', from2: '17', to2: '9' },
      { jar: ann },
    );
    expect(backwards.status).toBe(422);
    expect(textOf(await backwards.text())).toContain('Tuesday: the closing hour must be after the opening hour.');
  });

  it('keeps room names unique and edits details', async () => {
    const { t, ann, aspen } = await setup();
    const duplicate = await post(t.app, paths.newRoom(), { name: 'aspen', description: '' }, { jar: ann });
    expect(duplicate.status).toBe(409);
    expect(elementById(await duplicate.text(), 'room-name-error')).toContain('already exists');
    const renamed = await post(
      t.app,
      paths.room(aspen.id),
      { name: 'Aspen (2nd floor)', description: 'Four seats' },
      { jar: ann },
    );
    expect(renamed.status).toBe(200);
    expect(textOf(await renamed.text())).toContain('Details saved.');
    const unnamed = await post(t.app, paths.room(aspen.id), { name: ' ', description: '' }, { jar: ann });
    expect(unnamed.status).toBe(422);
    expect((await get(t.app, paths.room('00000000-0000-4000-8000-000000000000'), { jar: ann })).status).toBe(404);
    const archived = await post(t.app, paths.roomArchive(aspen.id), {}, { jar: ann });
    expect(archived.status).toBe(303);
    expect(await listActiveRooms(database.current.db)).toHaveLength(0);
  });
});
