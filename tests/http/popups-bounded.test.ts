/**
 * Pop-ups stay bounded however many invites wait: a page carries only the newest MAX_POPUPS_SHOWN
 * invite pop-ups and a line counting the rest ("N more in Invites", linking to them), and a live
 * push for one new or answered invite carries that one pop-up (or its removal), the count and the
 * line, never every pending one.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invites } from '../../src/db/schema.ts';
import { listActiveRooms } from '../../src/domain/rooms.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { ids, invitePopupId, noticePopupId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type CookieJar, elementById, get, post, registerAs, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

const DATE = '2027-03-16'; // a Tuesday; rooms' hours are in New York
const at = (hour: number) => hourBlocksOfDate(DATE, 'America/New_York')[hour]!.startsAt;

const dialogsIn = (html: string) => html.match(/<dialog\b/g)?.length ?? 0;
const invitePopupIdsIn = (html: string) =>
  [...html.matchAll(/<dialog id="popup-invite-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
const removes = (message: string, popupId: string) => message.includes(`<div id="${popupId}" hx-swap-oob="delete">`);

describe.each(databaseKinds)('bounded pop-ups on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  const sockets: LiveClient[] = [];
  let ann: CookieJar;
  let bo: CookieJar;
  let boId: string;
  let roomId: string;
  /** Invite ids in the order Ann sent them. */
  let sent: string[];

  beforeEach(async () => {
    t = createTestApp(database.current.db, { config: { maxPopupsShown: 2 } });
    server = await startServer(t.app);
    ann = await registerAs(t.app, 'ann', { displayName: 'Ann' });
    bo = await registerAs(t.app, 'bo', { displayName: 'Bo', timeZone: 'America/Denver' });
    boId = (await findUserByUsername(database.current.db, 'bo'))!.id;
    await post(
      t.app,
      paths.newRoom(),
      { name: 'Aspen', description: '', open2: 'on', from2: '9', to2: '17' },
      { jar: ann },
    );
    roomId = (await listActiveRooms(database.current.db))[0]!.id;
    sent = [];
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await t.live.close();
    await server.close();
  });

  /** Ann invites Bo at this hour, a minute after her previous invite (so "newest" is plain). */
  async function invite(hour: number): Promise<string> {
    t.clock.advance(60_000);
    const response = await post(
      t.app,
      paths.sendInvite(),
      { room: roomId, start: at(hour).toISOString(), invitee: boId, note: `At ${hour}` },
      { jar: ann, htmx: true },
    );
    expect(response.status).toBe(200);
    const [newest] = await database.current.db
      .select({ id: invites.id })
      .from(invites)
      .where(eq(invites.startsAt, at(hour)));
    sent.push(newest!.id);
    return newest!.id;
  }

  async function boSocket(): Promise<LiveClient> {
    const socket = await connectLive(`${server.url.replace('http', 'ws')}${paths.accountLive()}`, {
      origin: server.origin,
      cookie: bo.header(),
    });
    sockets.push(socket);
    await socket.waitFor((m) => m.includes(`id="${ids.popups}"`));
    return socket;
  }

  it('puts only the newest MAX_POPUPS_SHOWN invite pop-ups on a page, and a line counting the rest that links to Invites', async () => {
    for (const hour of [9, 10, 11, 12]) await invite(hour);
    const page = await (await get(t.app, paths.rooms({ date: DATE }), { jar: bo })).text();
    const popups = elementById(page, ids.popups)!;
    expect(dialogsIn(popups)).toBe(2);
    expect(invitePopupIdsIn(popups)).toEqual([sent[2], sent[3]]); // the newest two, in the order they came
    const more = elementById(page, ids.popupsMore)!;
    expect(textOf(more)).toBe('Only your newest 2 invites pop up. 2 more in Invites');
    expect(more).toContain(`href="${paths.inbox({ status: 'pending' })}"`);
    expect(textOf(elementById(page, ids.inboxCount)!)).toBe('4 waiting for your answer');

    // The socket's first message is the same bounded state.
    const socket = await boSocket();
    const opened = socket.messages[0]!;
    expect(dialogsIn(opened)).toBe(2);
    expect(textOf(elementById(opened, ids.popupsMore)!)).toContain('2 more in Invites');

    // With no more waiting than are shown, the line is empty (and hidden).
    const few = createTestApp(database.current.db, { config: { maxPopupsShown: 5 } });
    const fewPage = await (await get(few.app, paths.inbox(), { jar: bo })).text();
    expect(dialogsIn(elementById(fewPage, ids.popups)!)).toBe(4);
    expect(elementById(fewPage, ids.popupsMore)).toBe(`<p id="${ids.popupsMore}" class="popups-more"></p>`);
  });

  it('pushes a new invite as its one pop-up, with the count and the line, and takes off the one it pushes out', async () => {
    for (const hour of [9, 10, 11]) await invite(hour);
    const socket = await boSocket();
    expect(invitePopupIdsIn(socket.messages[0]!)).toEqual([sent[1], sent[2]]);

    const mark = socket.mark();
    const fourth = await invite(12);
    const pushed = await socket.waitFor((m) => m.includes(invitePopupId(fourth)), { from: mark });
    expect(dialogsIn(pushed)).toBe(1);
    expect(invitePopupIdsIn(pushed)).toEqual([fourth]);
    expect(pushed).toContain(`<div hx-swap-oob="beforeend:#${ids.popupInvites}"><dialog id="${invitePopupId(fourth)}"`);
    expect(textOf(elementById(pushed, invitePopupId(fourth))!)).toContain('Ann (@ann) invites you to a meeting');
    expect(removes(pushed, invitePopupId(sent[1]!))).toBe(true); // no longer among the newest two
    expect(removes(pushed, invitePopupId(sent[2]!))).toBe(false);
    expect(textOf(elementById(pushed, ids.popupsMore)!)).toContain('2 more in Invites');
    expect(textOf(elementById(pushed, ids.inboxCount)!)).toBe('4 waiting for your answer');
    expect(pushed).not.toContain(`id="${ids.popups}"`);
  });

  it('brings the next invite in, in its place, when a shown one is answered; notices come and go one at a time', async () => {
    for (const hour of [9, 10, 11, 12]) await invite(hour);
    const socket = await boSocket();
    const annSocket = await connectLive(`${server.url.replace('http', 'ws')}${paths.accountLive()}`, {
      origin: server.origin,
      cookie: ann.header(),
    });
    sockets.push(annSocket);
    await annSocket.waitFor((m) => m.includes(`id="${ids.popups}"`));

    // Bo rejects the newest: the third comes back in, before the one still shown.
    const mark = socket.mark();
    const annMark = annSocket.mark();
    expect(
      (
        await post(
          t.app,
          paths.inviteAction(sent[3]!, 'reject'),
          {},
          { jar: bo, htmx: true, headers: { 'hx-target': ids.popupResults } },
        )
      ).status,
    ).toBe(200);
    const pushed = await socket.waitFor((m) => removes(m, invitePopupId(sent[3]!)), { from: mark });
    expect(dialogsIn(pushed)).toBe(1);
    expect(pushed).toContain(
      `<div hx-swap-oob="beforebegin:#${invitePopupId(sent[2]!)}"><dialog id="${invitePopupId(sent[1]!)}"`,
    );
    expect(textOf(elementById(pushed, ids.popupsMore)!)).toContain('1 more in Invites');
    expect(textOf(elementById(pushed, ids.inboxCount)!)).toBe('3 waiting for your answer');

    // Ann is told with one notice, then dismissing it takes just that one off.
    const told = await annSocket.waitFor((m) => m.includes('popup-notice-'), { from: annMark });
    expect(dialogsIn(told)).toBe(1);
    expect(textOf(told)).toContain('Bo (@bo) rejected your invite');
    expect(told).toContain(`<div hx-swap-oob="beforeend:#${ids.popupNotices}">`);
    const noticeId = /popup-notice-([0-9a-f-]{36})/.exec(told)![1]!;
    const dismissMark = annSocket.mark();
    expect((await post(t.app, paths.dismissNotice(noticeId), {}, { jar: ann, htmx: true })).status).toBe(204);
    const dismissed = await annSocket.waitFor((m) => removes(m, noticePopupId(noticeId)), { from: dismissMark });
    expect(dialogsIn(dismissed)).toBe(0);
  });
});
