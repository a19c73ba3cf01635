/**
 * Text people type is shown as text everywhere it goes: full pages, htmx fragments, fragments pushed
 * over the WebSocket, calendar files and calendar links. Every typed value here is hostile (HTML that
 * would run, quotes that would leave an attribute, CR LF that would start a calendar property), and
 * every check reads the raw output, so a single unescaped path fails it.
 */
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listActiveRooms } from '../../src/domain/rooms.ts';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import { listSlotsForSchedule } from '../../src/domain/slots.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { ids, roomCellId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, get, post, registerAs } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

// One line each (what is stored once the line is cleaned), and one multi-line note.
const TITLE = 'Coaching; 1:1, \\new <img src=x onerror=alert(1)>';
const HOST = '"><script>alert(1)</script>';
const BOOKER = "Ann ' onmouseover='alert(1)' \"><script>alert(2)</script>";
const EMAIL = "o'brien+x@example.com";
const NOTES = 'Bring <img src=x onerror=alert(3)>\nATTENDEE:mailto:evil@x; and, \\ more\nX-INJECT:1';
const ROOM = 'Room <img src=x onerror=alert(4)> & co';
const ROOM_DESCRIPTION = '"><script>alert(5)</script>';
const ALICE = 'Alice <img src=x onerror=alert(6)>';
const BOB = 'Bob "><script>alert(7)</script>';
const NOTE = 'Agenda </textarea><script>alert(8)</script>\r\nATTENDEE:mailto:evil@x';
const NOTE_STORED = NOTE.replace('\r\n', '\n');
const FORMULA = '=HYPERLINK("http://evil.example","click")';

/** How Hono's JSX writes text and attribute values. */
function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The output holds each value escaped and never raw, and no element the values could have made:
 * the app's markup has no <img> at all and no <script> without src.
 */
function expectEscaped(output: string, values: string[], where: string): void {
  for (const value of values) {
    expect(output, `${where}: ${value} raw`).not.toContain(value);
    expect(output, `${where}: ${value} escaped`).toContain(escapeHtml(value));
  }
  expect(output, `${where}: an <img> element`).not.toMatch(/<img\b/i);
  expect(output, `${where}: an inline script`).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect(
    attributeNames(output).filter((name) => /^on/i.test(name)),
    `${where}: event handler attributes`,
  ).toEqual([]);
}

/** Every attribute name of every tag (values are always double-quoted here, quotes inside escaped). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-z][a-z0-9-]*((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>/gi)) {
    for (const attribute of tag[1]!.matchAll(/\s+([^\s"'>/=]+)(?:="[^"]*")?/g)) names.push(attribute[1]!);
  }
  return names;
}

/** The value of a property in an unfolded calendar file, unescaped per RFC 5545 (ical.js leaves X- values raw). */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c.toLowerCase() === 'n' ? '\n' : c));
}

const PROPERTIES =
  /^(BEGIN|END|VERSION|CALSCALE|PRODID|METHOD|X-WR-CALNAME|X-PUBLISHED-TTL|UID|SUMMARY|DTSTAMP|DTSTART|DTEND|SEQUENCE|DESCRIPTION|URL):/;

/** Every content line is one of ours: typed text never starts a property of its own. */
function expectOnlyOurProperties(text: string, where: string): void {
  expect(text, `${where}: bare CR or LF`).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
  for (const line of text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean))
    expect(line, where).toMatch(PROPERTIES);
}

function eventsOf(text: string) {
  return new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

/** Hrefs of calendar links, decoded the way a browser reads the attribute. */
function linkParams(html: string, host: 'calendar.google.com' | 'outlook.live.com'): URLSearchParams {
  const href = new RegExp(`href="(https://${host.replace(/\./g, '\\.')}[^"]*)"`).exec(html)?.[1];
  expect(href, host).toBeDefined();
  const decoded = href!
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  return new URL(decoded).searchParams;
}

describe.each(databaseKinds)('escaping typed text on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let server: TestServer;
  const sockets: LiveClient[] = [];

  beforeEach(async () => {
    t = createTestApp(database.current.db, { config: { bookingRateLimit: 1000 } });
    server = await startServer(t.app);
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await t.live.close();
    await server.close();
  });

  const wsUrl = (path: string) => `${server.url.replace('http', 'ws')}${path}`;

  async function live(path: string, cookie?: string): Promise<LiveClient> {
    const socket = await connectLive(wsUrl(path), { origin: server.origin, ...(cookie ? { cookie } : {}) });
    sockets.push(socket);
    return socket;
  }

  /** A schedule with hostile title, host name and notes, one slot booked by a hostile name. */
  async function hostileSchedule() {
    const created = await post(t.app, paths.createSchedule(), {
      title: `${TITLE}\r\n`,
      hostName: HOST,
      timeZone: 'America/New_York',
    });
    expect(created.status).toBe(303);
    const adminKey = adminKeyOf(created.headers.get('location')!);
    const schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
    expect(schedule.title).toBe(TITLE);
    const added = await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-03-16', start: '09:00', end: '10:00', split: '30', notes: NOTES.replace(/\n/g, '\r\n') },
      { htmx: true },
    );
    expect(added.status).toBe(200);
    expectEscaped(await added.text(), [NOTES], 'add-slot fragment');
    const [first, second] = await listSlotsForSchedule(database.current.db, schedule.id);
    expect(first!.notes).toBe(NOTES);
    return { adminKey, schedule, first: first!, second: second! };
  }

  async function book(schedule: Schedule, slotId: string) {
    const visitor = new CookieJar();
    await get(t.app, paths.schedule(schedule.publicId), { jar: visitor });
    const claimed = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slotId),
      { name: BOOKER, email: EMAIL },
      { jar: visitor, htmx: true },
    );
    expect(claimed.status).toBe(200);
    const fragment = await claimed.text();
    const manageKey = /\/b\/([a-z2-7]{32})/.exec(fragment)![1]!;
    return { visitor, fragment, manageKey };
  }

  it('escapes schedule text in the pages, the htmx answers and the live pushes of host and visitor', async () => {
    const { adminKey, schedule, first, second } = await hostileSchedule();
    const host = await live(paths.adminLive(adminKey));
    await host.waitFor((m) => m.includes(`id="${ids.slotList}"`));
    expectEscaped(host.messages.join(''), [TITLE, NOTES], 'host socket, full state');
    const watcher = await live(paths.scheduleLive(schedule.publicId));
    await watcher.waitFor((m) => m.includes(`id="${ids.slotList}"`));
    expectEscaped(watcher.messages.join(''), [NOTES], 'visitor socket, full state');

    const page = await (await get(t.app, paths.schedule(schedule.publicId))).text();
    expectEscaped(page, [TITLE, HOST, NOTES], 'scheduling page');
    const form = await (
      await get(t.app, `${paths.chooseSlot(schedule.publicId)}?slot=${first.id}`, { htmx: true })
    ).text();
    expectEscaped(form, [NOTES], 'booking form fragment');

    const hostMark = host.mark();
    const { visitor, fragment, manageKey } = await book(schedule, first.id);
    expectEscaped(fragment, [BOOKER, EMAIL, NOTES], 'booking confirmation fragment');
    const pushed = await host.waitFor((m) => m.includes(escapeHtml(BOOKER)), { from: hostMark });
    expectEscaped(pushed, [BOOKER, EMAIL], 'host socket, booking push');

    const dashboard = await (await get(t.app, paths.admin(adminKey))).text();
    expectEscaped(dashboard, [TITLE, HOST, BOOKER, EMAIL, NOTES], 'dashboard');
    expect(dashboard).toContain(`href="mailto:${escapeHtml(EMAIL)}"`);
    const mine = await (await get(t.app, paths.schedule(schedule.publicId), { jar: visitor })).text();
    expectEscaped(mine, [TITLE, HOST, BOOKER, EMAIL, NOTES], 'scheduling page with my booking');
    const manage = await (await get(t.app, paths.manage(manageKey))).text();
    expectEscaped(manage, [TITLE, BOOKER, EMAIL, NOTES], 'manage page');

    // The host cannot delete a booked slot: the refusal names the booker, escaped.
    const refused = await post(t.app, paths.adminDeleteSlot(adminKey, first.id), {}, { htmx: true });
    expect(refused.status).toBe(409);
    expectEscaped(await refused.text(), [BOOKER], 'delete refusal fragment');

    // Settings change: the answer and the pushes carry the new title, escaped.
    const watcherMark = watcher.mark();
    const newTitle = `${FORMULA} <img src=x onerror=alert(9)>`;
    const saved = await post(
      t.app,
      paths.adminSettings(adminKey),
      { title: newTitle, hostName: HOST, timeZone: 'America/New_York' },
      { htmx: true },
    );
    expect(saved.status).toBe(200);
    expectEscaped(await saved.text(), [newTitle, HOST], 'settings fragment');
    expectEscaped(
      await watcher.waitFor((m) => m.includes(escapeHtml(newTitle)), { from: watcherMark }),
      [newTitle],
      'visitor socket, settings push',
    );

    // A move: the visitor's panel and the pushes again.
    const moved = await post(
      t.app,
      paths.moveBooking(schedule.publicId, second.id),
      { name: BOOKER, email: EMAIL },
      { jar: visitor, htmx: true },
    );
    expect(moved.status).toBe(200);
    expectEscaped(await moved.text(), [BOOKER, EMAIL], 'move fragment');
  });

  it('writes typed text into calendar files exactly, escaped per RFC 5545, with no property of its own', async () => {
    const { adminKey, schedule, first } = await hostileSchedule();
    const { visitor, manageKey } = await book(schedule, first.id);
    const files = {
      host: await (await get(t.app, paths.adminCalendar(adminKey))).text(),
      visitor: await (await get(t.app, paths.myCalendar(schedule.publicId), { jar: visitor })).text(),
      manage: await (await get(t.app, paths.manageCalendar(manageKey))).text(),
    };
    for (const [who, text] of Object.entries(files)) {
      expectOnlyOurProperties(text, who);
      const [event] = eventsOf(text);
      expect(event!.attendees, who).toEqual([]);
      expect(
        event!.component.getAllProperties().map((p) => p.name),
        who,
      ).not.toContain('x-inject');
      expect(event!.description.startsWith(`${NOTES}\n\n`), `${who}: ${event!.description}`).toBe(true);
      expect(text, who).not.toContain(manageKey);
      expect(text, who).not.toContain(adminKey);
    }
    const [hostEvent] = eventsOf(files.host);
    expect(hostEvent!.summary).toBe(`${BOOKER} · ${TITLE}`);
    expect(hostEvent!.description).toBe(
      `${NOTES}\n\nBooked by ${BOOKER} <${EMAIL}>.\nScheduling page: http://localhost/s/${schedule.publicId}`,
    );
    const calName = /^X-WR-CALNAME:(.*)$/m.exec(files.host.replace(/\r\n[ \t]/g, ''))![1]!.replace(/\r$/, '');
    expect(unescapeText(calName)).toBe(TITLE);
    for (const visitorFile of [files.visitor, files.manage]) {
      const [event] = eventsOf(visitorFile);
      expect(event!.summary).toBe(`${TITLE} (with ${HOST})`);
      expect(event!.description).not.toContain(BOOKER); // the visitor's own file speaks of the host
    }
  });

  it('builds "add to calendar" links whose parameters carry the text exactly', async () => {
    const { schedule, first } = await hostileSchedule();
    const { visitor, manageKey } = await book(schedule, first.id);
    for (const [where, html] of [
      ['scheduling page', await (await get(t.app, paths.schedule(schedule.publicId), { jar: visitor })).text()],
      ['manage page', await (await get(t.app, paths.manage(manageKey))).text()],
    ] as const) {
      const google = linkParams(html, 'calendar.google.com');
      expect(google.get('action'), where).toBe('TEMPLATE');
      expect(google.get('text'), where).toBe(`${TITLE} (with ${HOST})`);
      expect(google.get('details'), where).toBe(`${NOTES}\n\nScheduling page: http://localhost/s/${schedule.publicId}`);
      expect(google.get('dates'), where).toBe('20270316T130000Z/20270316T133000Z');
      const outlook = linkParams(html, 'outlook.live.com');
      expect(outlook.get('subject'), where).toBe(`${TITLE} (with ${HOST})`);
      expect(outlook.get('body'), where).toBe(`${NOTES}\n\nScheduling page: http://localhost/s/${schedule.publicId}`);
    }
  });

  it('echoes refused forms escaped, in value attributes and text areas', async () => {
    const refused = await post(t.app, paths.createSchedule(), {
      title: TITLE,
      hostName: HOST,
      timeZone: 'Mars/Olympus',
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expectEscaped(html, [TITLE, HOST], 'refused create form');
    expect(html).toContain(`value="${escapeHtml(TITLE)}"`);
    // The zone picker's options are prebuilt HTML: an unknown zone sent back comes first, escaped.
    const zone = await post(t.app, paths.createSchedule(), { title: 'x', timeZone: BOOKER });
    expect(zone.status).toBe(422);
    const zoneHtml = await zone.text();
    expectEscaped(zoneHtml, [BOOKER], 'refused zone');
    expect(zoneHtml).toContain(`<option value="${escapeHtml(BOOKER)}" selected="">`);

    const { adminKey, schedule, first } = await hostileSchedule();
    const slotForm = await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2026-02-30', start: '09:00', end: '10:00', notes: NOTE },
      { htmx: true },
    );
    expect(slotForm.status).toBe(422);
    const slotHtml = await slotForm.text();
    expectEscaped(slotHtml, [NOTE], 'refused slot form (as typed)');
    expect(slotHtml).not.toContain('</textarea><script>');

    const booking = await post(
      t.app,
      paths.claimSlot(schedule.publicId, first.id),
      { name: BOOKER, email: `${HOST}@x` },
      { htmx: true },
    );
    expect(booking.status).toBe(422);
    const bookingHtml = await booking.text();
    expectEscaped(bookingHtml, [BOOKER, `${HOST}@x`], 'refused booking form');
    expect(bookingHtml).toContain(`value="${escapeHtml(BOOKER)}"`);
  });

  it('escapes room, people and note text in the grid, panels, inbox, live pop-ups and meeting files', async () => {
    const alice = await registerAs(t.app, 'alice', { displayName: ALICE });
    const bob = await registerAs(t.app, 'bob', { displayName: BOB });
    const bobId = (await findUserByUsername(database.current.db, 'bob'))!.id;
    const created = await post(
      t.app,
      paths.newRoom(),
      { name: ROOM, description: ROOM_DESCRIPTION, open2: '1', from2: '9', to2: '17' },
      { jar: alice },
    );
    expect(created.status).toBe(303);
    const [room] = await listActiveRooms(database.current.db);
    expect(room!.name).toBe(ROOM);
    const roomPage = await (await get(t.app, paths.room(room!.id), { jar: alice })).text();
    expectEscaped(roomPage, [ROOM, ROOM_DESCRIPTION, ALICE], 'room page');

    const date = '2027-03-16';
    const start = hourBlocksOfDate(date, 'America/New_York')[10]!.startsAt.toISOString();
    const grid = await (await get(t.app, paths.rooms({ date, with: 'bob' }), { jar: alice })).text();
    expectEscaped(grid, [ROOM, ALICE, BOB], 'grid page');
    const panel = await (
      await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(`${room!.id}@${start}`)}`, {
        jar: alice,
        htmx: true,
      })
    ).text();
    expectEscaped(panel, [ROOM, BOB], 'invite form panel');
    const review = await post(
      t.app,
      paths.reviewInvite(),
      { room: room!.id, start, invitee: bobId, note: NOTE },
      { jar: alice, htmx: true },
    );
    expect(review.status).toBe(200);
    const reviewHtml = await review.text();
    expectEscaped(reviewHtml, [ROOM, BOB, NOTE_STORED], 'review panel');
    expect(reviewHtml).toContain(`name="note" value="${escapeHtml(NOTE_STORED)}"`);

    const bobSocket = await live(paths.accountLive(), bob.header());
    await bobSocket.waitFor((m) => m.includes(`id="${ids.popups}"`));
    const aliceSocket = await live(paths.accountLive({ date }), alice.header());
    await aliceSocket.waitFor((m) => m.includes(`id="${ids.popups}"`));
    const marks = { bob: bobSocket.mark(), alice: aliceSocket.mark() };
    const sent = await post(
      t.app,
      paths.sendInvite(),
      { room: room!.id, start, invitee: bobId, note: NOTE },
      { jar: alice, htmx: true },
    );
    expect(sent.status).toBe(200);
    const sentHtml = await sent.text();
    expectEscaped(sentHtml, [ROOM, BOB, ALICE], 'invite sent panel and cell');
    const popup = await bobSocket.waitFor((m) => m.includes('popup-invite-'), { from: marks.bob });
    expectEscaped(popup, [ROOM, ALICE, NOTE_STORED], 'invite pop-up pushed to bob');
    const cellPush = await aliceSocket.waitFor((m) => m.includes(roomCellId(room!.id, new Date(start))), {
      from: marks.alice,
    });
    expectEscaped(cellPush, [ROOM, ALICE, BOB], 'grid cell pushed to alice');

    const inbox = await (await get(t.app, paths.inbox(), { jar: bob })).text();
    expectEscaped(inbox, [ROOM, ALICE, NOTE_STORED], 'inbox');
    const search = await (
      await get(t.app, `${paths.inboxResults()}?q=${encodeURIComponent('<img')}`, { jar: bob, htmx: true })
    ).text();
    expectEscaped(search, [ROOM, ALICE], 'inbox search results');
    const inviteId = /id="invite-([0-9a-f-]{36})"/.exec(inbox)![1]!;
    const accepted = await post(
      t.app,
      paths.inviteAction(inviteId, 'accept'),
      {},
      { jar: bob, htmx: true, headers: { 'hx-target': ids.popupResults } },
    );
    expect(accepted.status).toBe(200);
    expectEscaped(await accepted.text(), [ROOM, ALICE], 'accept answer pop-up');

    const meeting = await (await get(t.app, paths.meetingCalendar(inviteId), { jar: alice })).text();
    expectOnlyOurProperties(meeting, 'meeting file');
    const [event] = eventsOf(meeting);
    expect(event!.summary).toBe(`${ALICE} & ${BOB} · ${ROOM}`);
    expect(event!.description).toBe(
      `Room: ${ROOM}\nAttendees: ${ALICE} (organizer), ${BOB}\n\n${NOTE_STORED}\n\nInvites: http://localhost/invites`,
    );
    expect(event!.attendees).toEqual([]);
    const held = await (
      await get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(`${room!.id}@${start}`)}`, {
        jar: alice,
        htmx: true,
      })
    ).text();
    expectEscaped(held, [ROOM, BOB, NOTE_STORED], 'held cell panel');
    const google = linkParams(held, 'calendar.google.com');
    expect(google.get('text')).toBe(`${ALICE} & ${BOB} · ${ROOM}`);
    expect(google.get('details')).toBe(event!.description);
  });
});
