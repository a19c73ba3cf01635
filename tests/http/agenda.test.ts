/**
 * My meetings (the agenda) through app.request() and a real WebSocket client: the landing page after
 * logging in; a person's meetings and pending invites, received and sent, in time order by day in
 * their zone and language, with the people named beside their usernames; bounded by MAX_LIST_ROWS;
 * refreshed live when an invite changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ids, invitePopupId, inviteRowId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { elementById, get, loginAs, post, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';
import { buildWorld } from '../helpers/world.ts';

describe.each(databaseKinds)('my meetings on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp | null = null;
  let server: TestServer | null = null;
  const sockets: LiveClient[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await t?.live.close();
    await server?.close();
    server = null;
  });

  const rowsOf = (html: string) => [...html.matchAll(/<li id="invite-([0-9a-f-]{36})"/g)].map((m) => m[1]!);

  it('lands there after logging in and lists meetings and pending invites in time order, by day in my zone', async () => {
    t = createTestApp(database.current.db);
    const w = await buildWorld(t, database.current.db);
    const { response } = await loginAs(t.app, 'ann');
    expect(response.headers.get('location')).toBe('/meetings');

    const ann = await (await get(t.app, paths.meetings(), { jar: w.ann })).text();
    expect(rowsOf(ann)).toEqual([w.pendingInviteId, w.meetingId]); // 10:00, then 11:00
    const list = textOf(elementById(ann, ids.agendaList)!);
    expect(list).toContain('2 coming up.');
    expect(list).toContain('Tuesday 16 March 2027');
    const pending = textOf(elementById(ann, inviteRowId(w.pendingInviteId))!);
    expect(pending).toContain('Aspen, Tue 16 Mar 2027, 10:00–11:00 (America/New_York)');
    expect(pending).toContain('To Bo (@bo)');
    expect(pending).toContain('Pending');
    expect(pending).toContain('Withdraw');
    const meeting = textOf(elementById(ann, inviteRowId(w.meetingId))!);
    expect(meeting).toContain('Accepted: meeting booked');
    expect(meeting).toContain('Cancel meeting');
    expect(meeting).toContain('Download .ics');
    expect(ann).toContain('aria-current="page">My meetings');

    // Bo, reading German: the same day in his words; he received both.
    const bo = await (await get(t.app, paths.meetings(), { jar: w.bo, headers: { 'accept-language': 'de' } })).text();
    expect(rowsOf(bo)).toEqual([w.pendingInviteId, w.meetingId]);
    expect(textOf(elementById(bo, ids.agendaList)!)).toContain('Dienstag, 16. März 2027');
    // His pop-up for the pending invite too.
    expect(textOf(elementById(bo, invitePopupId(w.pendingInviteId))!)).toContain('Di., 16. März 2027, 10:00–11:00 Uhr');
    expect(textOf(elementById(bo, inviteRowId(w.pendingInviteId))!)).toContain('From Ann (@ann)');
    expect(textOf(elementById(bo, inviteRowId(w.pendingInviteId))!)).toContain('Accept');

    // Cy has nothing; without a session, the login page.
    const cy = await (await get(t.app, paths.meetings(), { jar: w.cy })).text();
    expect(textOf(elementById(cy, ids.agendaList)!)).toContain('Nothing coming up');
    expect((await get(t.app, paths.meetings())).headers.get('location')).toBe('/login?next=%2Fmeetings');

    // Invites, in American English: 12-hour times.
    const us = await (await get(t.app, paths.inbox(), { jar: w.bo, headers: { 'accept-language': 'en-US' } })).text();
    expect(textOf(elementById(us, inviteRowId(w.meetingId))!)).toMatch(/Tue, Mar 16, 2027, 11:00\sAM\s–\s12:00\sPM/);

    // The Invites page shows received and sent together unless asked.
    const inbox = await (await get(t.app, paths.inbox(), { jar: w.ann })).text();
    expect(textOf(elementById(inbox, 'inbox-heading')!)).toBe('Received and sent');
    expect(inbox).toMatch(/<input type="radio" name="box" value="all" checked=""/);
  });

  it('shows at most MAX_LIST_ROWS and says so', async () => {
    t = createTestApp(database.current.db, { config: { maxListRows: 1 } });
    const w = await buildWorld(t, database.current.db);
    const ann = await (await get(t.app, paths.meetings(), { jar: w.ann })).text();
    expect(rowsOf(ann)).toEqual([w.pendingInviteId]);
    expect(textOf(elementById(ann, ids.agendaList)!)).toContain('The first 1 are shown; the rest are under Invites.');
    const inbox = await (await get(t.app, paths.inbox(), { jar: w.ann })).text();
    expect(rowsOf(inbox)).toHaveLength(1);
    expect(textOf(elementById(inbox, ids.inboxResults)!)).toContain('The 1 with the latest hours are shown');
  });

  it('refreshes itself when an invite changes, and an action answers with its row', async () => {
    t = createTestApp(database.current.db);
    const w = await buildWorld(t, database.current.db);
    server = await startServer(t.app);
    const socket = await connectLive(`${server.url.replace('http', 'ws')}${paths.accountLive({ view: 'agenda' })}`, {
      origin: server.origin,
      cookie: w.ann.header(),
    });
    sockets.push(socket);
    await socket.waitFor((m) => m.includes(ids.popups));
    await t.live.idle();

    // Bo rejects the pending invite: Ann's list is told to reload, and reloads without it.
    const mark = socket.mark();
    const rejected = await post(
      t.app,
      paths.inviteAction(w.pendingInviteId, 'reject'),
      {},
      { jar: w.bo, htmx: true, headers: { 'hx-target': inviteRowId(w.pendingInviteId) } },
    );
    expect(rejected.status).toBe(200);
    expect(textOf(await rejected.text())).toContain('Rejected');
    const pushed = await socket.waitFor((m) => m.includes(`id="${ids.agendaList}"`), { from: mark });
    expect(elementById(pushed, ids.agendaList)).toContain(`hx-get="${paths.meetingsList()}"`);
    const reloaded = await (await get(t.app, paths.meetingsList(), { jar: w.ann, htmx: true })).text();
    expect(rowsOf(reloaded)).toEqual([w.meetingId]);
    // Without htmx the list's own address is the page.
    expect((await get(t.app, paths.meetingsList(), { jar: w.ann })).headers.get('location')).toBe('/meetings');
  });
});
