/**
 * Hostile input in paths and query strings: altered and malformed keys, ids that do not exist or
 * belong to someone else, absurd query strings, wrong methods, and routes no one serves.
 * How cases run and what every answer must be: tests/helpers/hostile.ts.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp } from '../helpers/app.ts';
import {
  BAD_ZONES,
  type Case,
  describeHostileInput,
  HUGE,
  LEAKS,
  MALFORMED_IDS,
  NO_SUCH_ID,
  requestInit,
  type Who,
  type World,
} from '../helpers/hostile.ts';
import { textOf } from '../helpers/http.ts';

// ---------------------------------------------------------------------------------------------
// Routes with ids and keys in the path, and pages with query strings.

const altered = (key: string) => `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;

const KEY_VARIANTS: [string, (key: string) => string][] = [
  ['altered key', altered],
  ['short key', () => 'short'],
  ['upper-case key', (k) => k.toUpperCase()],
  ['key with a NUL', (k) => `${k}%00`],
  ['key with SQL', () => "'%20OR%201=1--"],
  ['key of 10,000 characters', () => 'a'.repeat(10_000)],
  ['key with a script', () => '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
];

function keyedCases(): Case[] {
  const cases: Case[] = [];
  for (const [label, variant] of KEY_VARIANTS) {
    cases.push(
      { name: `dashboard, ${label}`, path: (w) => paths.admin(variant(w.adminKey)), status: 404 },
      {
        name: `add slots, ${label}`,
        path: (w) => paths.adminSlots(variant(w.adminKey)),
        body: () => ({ form: { date: '2026-12-02', start: '09:00', end: '10:00' } }),
        status: 404,
        htmx: 404,
      },
      {
        name: `delete a slot, ${label}`,
        path: (w) => paths.adminDeleteSlot(variant(w.adminKey), w.openSlot),
        body: () => ({ form: {} }),
        status: 404,
        htmx: 404,
      },
      {
        name: `settings, ${label}`,
        path: (w) => paths.adminSettings(variant(w.adminKey)),
        body: () => ({ form: { timeZone: 'UTC' } }),
        status: 404,
        htmx: 404,
      },
      { name: `host calendar, ${label}`, path: (w) => paths.adminCalendar(variant(w.adminKey)), status: 404 },
      { name: `host socket, ${label}`, path: (w) => paths.adminLive(variant(w.adminKey)), status: 404 },
      { name: `scheduling page, ${label}`, path: (w) => paths.schedule(variant(w.publicId)), status: 404 },
      { name: `slot list, ${label}`, path: (w) => paths.scheduleView(variant(w.publicId)), status: 404, htmx: 404 },
      {
        name: `choose a slot, ${label}`,
        path: (w) => `${paths.chooseSlot(variant(w.publicId))}?slot=${w.openSlot}`,
        status: 404,
        htmx: 404,
      },
      {
        name: `book, ${label}`,
        path: (w) => paths.claimSlot(variant(w.publicId), w.openSlot),
        body: () => ({ form: { name: 'Dana' } }),
        status: 404,
        htmx: 404,
      },
      {
        name: `move, ${label}`,
        path: (w) => paths.moveBooking(variant(w.publicId), w.openSlot),
        as: 'visitor',
        body: () => ({ form: { name: 'Vera' } }),
        status: 404,
        htmx: 404,
      },
      {
        name: `release, ${label}`,
        path: (w) => paths.release(variant(w.publicId)),
        as: 'visitor',
        body: () => ({ form: {} }),
        status: 404,
        htmx: 404,
      },
      {
        name: `visitor calendar, ${label}`,
        path: (w) => paths.myCalendar(variant(w.publicId)),
        as: 'visitor',
        status: 404,
      },
      { name: `manage link, ${label}`, path: (w) => paths.manage(variant(w.manageKey)), status: 404 },
      { name: `manage calendar, ${label}`, path: (w) => paths.manageCalendar(variant(w.manageKey)), status: 404 },
      {
        name: `manage release, ${label}`,
        path: (w) => paths.manageRelease(variant(w.manageKey)),
        body: () => ({ form: {} }),
        status: 404,
      },
    );
  }
  // The admin key where the public id goes, and the other way round: neither opens anything.
  cases.push(
    { name: 'scheduling page by the admin key', path: (w) => paths.schedule(w.adminKey), status: 404 },
    { name: 'dashboard by the public id', path: (w) => paths.admin(w.publicId), status: 404 },
    { name: 'manage link by the public id', path: (w) => paths.manage(w.publicId), status: 404 },
  );
  return cases;
}

function idCases(): Case[] {
  const cases: Case[] = [];
  const slotIds: [string, (w: World) => string, number][] = [
    ['a slot that does not exist', () => NO_SUCH_ID, 404],
    ...MALFORMED_IDS.map(([label, id]): [string, () => string, number] => [label, () => id, 404]),
    ["another schedule's slot", (w) => w.otherSlot, 404],
  ];
  for (const [label, slot, status] of slotIds) {
    cases.push(
      {
        name: `delete ${label}`,
        path: (w) => paths.adminDeleteSlot(w.adminKey, slot(w)),
        body: () => ({ form: {} }),
        status,
        htmx: status,
      },
      { name: `choose ${label}`, path: (w) => `${paths.chooseSlot(w.publicId)}?slot=${slot(w)}`, status, htmx: status },
      {
        name: `book ${label}`,
        path: (w) => paths.claimSlot(w.publicId, slot(w)),
        body: () => ({ form: { name: 'Dana' } }),
        status,
        htmx: status,
      },
      {
        name: `move to ${label}`,
        path: (w) => paths.moveBooking(w.publicId, slot(w)),
        as: 'visitor',
        body: () => ({ form: { name: 'Vera' } }),
        status,
        htmx: status,
      },
    );
  }
  cases.push(
    {
      name: 'delete a booked slot',
      path: (w) => paths.adminDeleteSlot(w.adminKey, w.bookedSlot),
      body: () => ({ form: {} }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'choose a booked slot',
      path: (w) => `${paths.chooseSlot(w.publicId)}?slot=${w.bookedSlot}`,
      status: 409,
      htmx: 409,
    },
    {
      name: 'choose a started slot',
      path: (w) => `${paths.chooseSlot(w.publicId)}?slot=${w.startedSlot}`,
      status: 409,
      htmx: 409,
    },
    {
      name: 'choose two slots at once',
      path: (w) => `${paths.chooseSlot(w.publicId)}?slot=abc&slot=${w.openSlot}`,
      status: 404,
      htmx: 404,
    },
    { name: 'choose with no slot', path: (w) => paths.chooseSlot(w.publicId), status: 404, htmx: 404 },
    {
      name: 'book a booked slot',
      path: (w) => paths.claimSlot(w.publicId, w.bookedSlot),
      body: () => ({ form: { name: 'Dana' } }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'book a started slot',
      path: (w) => paths.claimSlot(w.publicId, w.startedSlot),
      body: () => ({ form: { name: 'Dana' } }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'book a second slot while holding one',
      path: (w) => paths.claimSlot(w.publicId, w.openSlot),
      as: 'visitor',
      body: () => ({ form: { name: 'Vera' } }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'move to a started slot',
      path: (w) => paths.moveBooking(w.publicId, w.startedSlot),
      as: 'visitor',
      body: () => ({ form: { name: 'Vera' } }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'move with no booking',
      path: (w) => paths.moveBooking(w.publicId, w.openSlot),
      body: () => ({ form: { name: 'Dana' } }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'move with a forged visitor cookie',
      path: (w) => paths.moveBooking(w.publicId, w.openSlot),
      headers: { cookie: 'visitor=%3Cscript%3E' },
      body: () => ({ form: { name: 'Dana' } }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'release with no booking',
      path: (w) => paths.release(w.publicId),
      body: () => ({ form: {} }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'release with a forged visitor cookie',
      path: (w) => paths.release(w.publicId),
      headers: { cookie: `visitor=${'a'.repeat(32)}` },
      body: () => ({ form: {} }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'release with a broken body',
      path: (w) => paths.release(w.publicId),
      as: 'visitor',
      body: () => ({ raw: '--x\r\nbroken', type: 'multipart/form-data; boundary=x' }),
      status: 400,
      htmx: 400,
    },
    { name: 'visitor calendar without a booking', path: (w) => paths.myCalendar(w.publicId), status: 404 },
    {
      name: 'manage release with a broken body',
      path: (w) => paths.manageRelease(w.manageKey),
      body: () => ({ raw: '--x\r\nbroken', type: 'multipart/form-data; boundary=x' }),
      status: 400,
    },
  );

  // Invites: ids that do not exist, are malformed, or belong to someone else.
  const ACTIONS = ['accept', 'reject', 'withdraw', 'cancel', 'leave'] as const;
  const inviteIds: [string, (w: World) => string][] = [
    ['an invite that does not exist', () => NO_SUCH_ID],
    ...MALFORMED_IDS.map(([label, id]): [string, () => string] => [label, () => id]),
  ];
  for (const action of ACTIONS) {
    for (const [label, id] of inviteIds) {
      cases.push({
        name: `${action} ${label}`,
        path: (w) => paths.inviteAction(id(w), action),
        as: 'bob',
        body: () => ({ form: {} }),
        status: 404,
        htmx: 404,
      });
    }
    cases.push(
      {
        name: `${action} somebody else's invite`,
        path: (w) => paths.inviteAction(w.pendingInvite, action),
        as: 'carol',
        body: () => ({ form: {} }),
        status: 404,
        htmx: 404,
      },
      {
        name: `${action} somebody else's meeting`,
        path: (w) => paths.inviteAction(w.meeting, action),
        as: 'carol',
        body: () => ({ form: {} }),
        status: 404,
        htmx: 404,
      },
    );
    for (const target of [ids.popupResults, ids.cellPanel, 'invite-x', '<script>']) {
      cases.push({
        name: `${action} an unknown invite, target ${target}`,
        path: () => paths.inviteAction(NO_SUCH_ID, action),
        as: 'bob',
        headers: { 'hx-target': target },
        body: () => ({ form: {} }),
        status: 404,
        htmx: 404,
      });
    }
  }
  cases.push(
    // The wrong side of an invite, or the wrong moment.
    {
      name: 'the inviter accepts her own invite',
      path: (w) => paths.inviteAction(w.pendingInvite, 'accept'),
      as: 'alice',
      body: () => ({ form: {} }),
      status: 404,
      htmx: 404,
    },
    {
      name: 'the invitee withdraws an invite he received',
      path: (w) => paths.inviteAction(w.pendingInvite, 'withdraw'),
      as: 'bob',
      body: () => ({ form: {} }),
      status: 404,
      htmx: 404,
    },
    {
      name: 'accept a meeting already accepted',
      path: (w) => paths.inviteAction(w.meeting, 'accept'),
      as: 'bob',
      body: () => ({ form: {} }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'cancel an invite still pending',
      path: (w) => paths.inviteAction(w.pendingInvite, 'cancel'),
      as: 'alice',
      body: () => ({ form: {} }),
      status: 409,
      htmx: 409,
    },
    {
      name: 'invite action with a broken body',
      path: (w) => paths.inviteAction(w.pendingInvite, 'reject'),
      as: 'bob',
      body: () => ({ raw: '--x\r\nbroken', type: 'multipart/form-data; boundary=x' }),
      status: 400,
      htmx: 400,
    },
  );
  for (const [label, id] of [
    ...inviteIds,
    ['a pending invite', (w: World) => w.pendingInvite] as [string, (w: World) => string],
  ]) {
    cases.push({
      name: `meeting calendar of ${label}`,
      path: (w) => paths.meetingCalendar(id(w)),
      as: 'alice',
      status: 404,
    });
  }
  cases.push({
    name: "meeting calendar of somebody else's meeting",
    path: (w) => paths.meetingCalendar(w.meeting),
    as: 'carol',
    status: 404,
  });

  // Rooms by id.
  const roomIds: [string, (w: World) => string][] = [
    ['a room that does not exist', () => NO_SUCH_ID],
    ['an archived room', (w) => w.archivedRoomId],
    ...MALFORMED_IDS.map(([label, id]): [string, () => string] => [label, () => id]),
  ];
  for (const [label, id] of roomIds) {
    cases.push(
      { name: `room page of ${label}`, path: (w) => paths.room(id(w)), as: 'alice', status: 404 },
      {
        name: `room details of ${label}`,
        path: (w) => paths.room(id(w)),
        as: 'alice',
        body: () => ({ form: { name: 'Renamed' } }),
        status: 404,
      },
      {
        name: `weekly hours of ${label}`,
        path: (w) => paths.roomHours(id(w)),
        as: 'alice',
        body: () => ({ form: { open1: '1', from1: '9', to1: '17' } }),
        status: 404,
      },
      {
        name: `override of ${label}`,
        path: (w) => paths.roomOverrides(id(w)),
        as: 'alice',
        body: () => ({ form: { date: '2026-12-01', hour: '10', open: '0' } }),
        status: 404,
      },
      {
        name: `override removal of ${label}`,
        path: (w) => paths.roomOverrideRemove(id(w)),
        as: 'alice',
        body: () => ({ form: { date: '2026-12-01', hour: '10' } }),
        status: 404,
      },
      {
        name: `archive ${label}`,
        path: (w) => paths.roomArchive(id(w)),
        as: 'alice',
        body: () => ({ form: {} }),
        status: 404,
      },
    );
  }
  cases.push({
    name: 'archive a room that holds a meeting',
    path: (w) => paths.roomArchive(w.roomId),
    as: 'alice',
    body: () => ({ form: {} }),
    status: 409,
  });

  // A grid cell: room@start.
  const cells: [string, (w: World) => string, number][] = [
    ['no cell', () => '', 404],
    ['a cell of garbage', () => '%3Cscript%3E', 404],
    ['a cell without a start', (w) => w.roomId, 404],
    ['a cell of an unknown room', (w) => `${NO_SUCH_ID}@${w.hour(13)}`, 404],
    ['a cell of a malformed room', (w) => `${'-'.repeat(36)}@${w.hour(13)}`, 404],
    ['a cell of an archived room', (w) => `${w.archivedRoomId}@${w.hour(13)}`, 404],
    // Blocks start on any quarter hour (a room in Kolkata starts at :30 in most zones): a closed cell there.
    ['a cell at half past', (w) => `${w.roomId}@${w.hour(13).replace(':00:00', ':30:00')}`, 200],
    ['a cell off the quarter hours', (w) => `${w.roomId}@${w.hour(13).replace(':00:00', ':07:00')}`, 404],
    ['a cell in the year 275760', (w) => `${w.roomId}@%2B275760-09-13T00:00:00.000Z`, 404],
    ['a cell in year 0', (w) => `${w.roomId}@0000-01-01T05:00:00.000Z`, 404],
    ['a cell on 31 December 9999', (w) => `${w.roomId}@9999-12-31T23:00:00.000Z`, 404],
    ['a cell with a NUL', (w) => `${w.roomId}@${w.hour(13)}%00`, 404],
    ['a cell with two @', (w) => `${w.roomId}@${w.hour(13)}@x`, 200],
  ];
  for (const [label, cell, status] of cells) {
    cases.push({
      name: `grid panel for ${label}`,
      path: (w) => `${paths.roomCellPage()}?cell=${cell(w)}`,
      as: 'alice',
      status,
      htmx: status,
    });
  }

  // Notices: hx-swap="none" on the button, so an htmx refusal carries no body to show; without
  // JavaScript the refusal is a page saying why.
  for (const [label, id] of [
    ...inviteIds,
    ["somebody else's notice", (w: World) => w.noticeId] as [string, (w: World) => string],
  ]) {
    cases.push({
      name: `dismiss ${label}`,
      path: (w) => paths.dismissNotice(id(w)),
      as: label.startsWith('somebody') ? 'bob' : 'alice',
      body: () => ({ form: {} }),
      status: 404,
      htmx: 404,
    });
  }
  return cases;
}

/** GET pages with absurd query strings: ignored, the page as usual, nothing echoed unescaped. */
function queryCases(): Case[] {
  const junk = [
    'date=2026-02-30',
    'date=0000-01-01',
    'date=9999-12-31',
    'date=99999-01-01',
    'date[]=2026-11-23',
    'date=%00',
    'with=%00',
    'with=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    "with=alice'%20OR%20'1'='1",
    `with=${'a'.repeat(5000)}`,
    'box=%3Cscript%3E&status=%00&q=%00',
    `q=${'%F0%9F%98%80'.repeat(200)}`,
    'q=%25%5C_%27',
    'q=%ED%A0%80',
    'next=//evil.example&next=javascript:alert(1)',
    'form=%3Cscript%3E&name=%22%3E%3Cimg%20src%3Dx%3E',
    'view=%00&date=%E0%A4%A',
    `x=${'y'.repeat(8000)}`,
  ].join('&');
  const pages: [string, (w: World) => string, Who, number, number?, boolean?][] = [
    ['home', () => '/', 'anon', 200],
    ['log-in page', () => paths.login(), 'anon', 200],
    ['register page', () => paths.register(), 'anon', 200],
    ['zone field', () => paths.zoneField(), 'anon', 200, 200, true],
    ['rooms grid', () => paths.rooms(), 'alice', 200],
    ['new room page', () => paths.newRoom(), 'alice', 200],
    ['inbox', () => paths.inbox(), 'alice', 200],
    ['inbox results', () => paths.inboxResults(), 'alice', 303, 200],
    ['profile', () => paths.profile(), 'carol', 200],
    ['dashboard', (w) => paths.admin(w.adminKey), 'anon', 200],
    ['scheduling page', (w) => paths.schedule(w.publicId), 'anon', 200],
    ['slot list', (w) => paths.scheduleView(w.publicId), 'anon', 303, 200],
    ['manage link', (w) => paths.manage(w.manageKey), 'anon', 200],
    ['host calendar', (w) => paths.adminCalendar(w.adminKey), 'anon', 200],
    ['health', () => '/healthz', 'anon', 200],
  ];
  const cases: Case[] = pages.map(([label, path, as, status, htmx, fragment]) => ({
    name: `${label} with absurd query strings`,
    path: (w) => `${path(w)}${path(w).includes('?') ? '&' : '?'}${junk}`,
    as,
    status,
    ...(htmx ? { htmx } : {}),
    ...(fragment ? { fragment } : {}),
  }));
  cases.push(
    {
      name: 'rooms grid on 30 February',
      path: () => `${paths.rooms()}?date=2026-02-30`,
      as: 'alice',
      status: 200,
      says: /Saturday 21 November 2026/,
    },
    {
      name: 'rooms grid on 31 December 9999',
      path: () => `${paths.rooms()}?date=9999-12-31`,
      as: 'alice',
      status: 200,
      says: /Saturday 21 November 2026/,
    },
    {
      name: 'rooms grid with a NUL in the person',
      path: () => `${paths.rooms()}?with=a%00b`,
      as: 'alice',
      status: 200,
    },
    { name: 'inbox search with a NUL', path: () => `${paths.inbox()}?q=a%00b`, as: 'alice', status: 200 },
    {
      name: 'inbox results with a NUL',
      path: () => `${paths.inboxResults()}?q=a%00b&box=sent`,
      as: 'alice',
      status: 303,
      htmx: 200,
    },
    {
      name: 'garbage session cookie',
      path: () => paths.rooms(),
      headers: { cookie: 'session=%3Cscript%3E; tz=%00' },
      status: 303,
      location: /^\/login\?next=/,
    },
    {
      name: 'garbage zone cookie',
      path: () => '/',
      headers: { cookie: 'tz=%3Cscript%3Ealert(1)%3C%2Fscript%3E; tz_pinned=%00' },
      status: 200,
    },
  );
  return cases;
}

/** Choosing a zone, logging out, and what no route serves. */
function miscCases(): Case[] {
  const tz = (form: Record<string, string | string[]>, status: number, location?: RegExp): Case => ({
    name: `choose zone ${JSON.stringify(form).slice(0, 80)}`,
    path: () => paths.chooseZone(),
    body: () => ({ form }),
    status,
    ...(location ? { location } : {}),
  });
  return [
    ...BAD_ZONES.filter((z) => z !== '').map((zone) => tz({ zone, return: '/' }, 422)),
    tz({ zone: ['Mars/Olympus', 'Venus/Maxwell'] }, 422),
    tz({ zone: '' }, 422),
    tz({ zone: HUGE }, 413),
    // The body limit to the byte: 64 KB is read (and the too-long title refused), one byte more is not.
    ...[0, 1].map(
      (over): Case => ({
        name: `create a schedule with a body of 64 KB ${over ? '+ 1 byte' : 'exactly'}`,
        path: () => paths.createSchedule(),
        body: () => {
          const frame = 'timeZone=UTC&title=';
          return {
            raw: `${frame}${'t'.repeat(64 * 1024 - frame.length + over)}`,
            type: 'application/x-www-form-urlencoded',
          };
        },
        status: over ? 413 : 422,
      }),
    ),
    {
      name: 'choose zone as a file',
      path: () => paths.chooseZone(),
      body: () => ({ multipart: { zone: new File(['UTC'], 'zone.txt') } }),
      status: 422,
    },
    {
      name: 'choose zone, broken body',
      path: () => paths.chooseZone(),
      body: () => ({ raw: '--x\r\n', type: 'multipart/form-data; boundary=x' }),
      status: 400,
    },
    {
      name: 'log out without a session, hostile body',
      path: () => paths.logout(),
      body: () => ({ form: { x: '<script>alert(1)</script>', y: '\u0000' } }),
      status: 303,
      location: /^\/login$/,
    },
    {
      name: 'log out, broken body',
      path: () => paths.logout(),
      body: () => ({ raw: '--x\r\n', type: 'multipart/form-data; boundary=x' }),
      status: 400,
    },
    {
      name: 'signed-in page without a session',
      path: () => paths.roomHours(NO_SUCH_ID),
      body: () => ({ form: {} }),
      status: 303,
      location: /^\/login\?next=/,
    },
    { name: 'unknown page', path: () => '/nothing-here', status: 404 },
    { name: 'unknown page with a script in its path', path: () => '/%3Cscript%3Ealert(1)%3C%2Fscript%3E', status: 404 },
    { name: 'path of 10,000 characters', path: () => `/${'p'.repeat(10_000)}`, status: 404 },
    { name: 'encoded dot-dot into the sources', path: () => '/assets/%2e%2e/%2e%2e/package.json', status: 404 },
    {
      name: 'PUT on a form route',
      method: 'PUT',
      path: () => paths.createSchedule(),
      body: () => ({ form: { timeZone: 'UTC' } }),
      status: 404,
    },
    {
      name: 'DELETE on a slot',
      method: 'DELETE',
      path: (w) => paths.adminDeleteSlot(w.adminKey, w.openSlot),
      status: 404,
    },
    {
      name: 'PATCH on a profile',
      method: 'PATCH',
      path: () => paths.profile(),
      as: 'carol',
      body: () => ({ form: { displayName: 'x' } }),
      status: 404,
    },
    { name: 'GET on a form route', path: () => paths.createSchedule(), status: 404 },
    {
      name: 'GET on an invite action',
      path: (w) => paths.inviteAction(w.pendingInvite, 'accept'),
      as: 'bob',
      status: 404,
    },
    { name: 'account socket without a session', path: () => paths.accountLive(), status: 401 },
    { name: 'account socket, no upgrade', path: () => paths.accountLive(), as: 'alice', status: 404 },
  ];
}

describeHostileInput(
  'hostile paths and queries',
  [...keyedCases(), ...idCases(), ...queryCases(), ...miscCases()],
  (context) => {
    it('answers a value the database itself refuses with 400 and the humane page, logging no value', async () => {
      const { database, w } = context;
      // A route of this test's own, passing a value straight to SQL: the last line of defence.
      const own = createTestApp(database.db);
      own.app.post('/unchecked/:value', async (c) => {
        await database.db.execute(sql`SELECT ${c.req.param('value')}::uuid`);
        return c.text('unreachable');
      });
      for (const value of ['not-a-uuid', 'a%00b']) {
        for (const htmx of [false, true]) {
          const response = await own.app.request(
            `/unchecked/${value}`,
            requestInit(w, { name: 'own', path: () => '', body: () => ({ form: {} }), status: 400 }, htmx),
          );
          expect(response.status).toBe(400);
          const body = await response.text();
          expect(textOf(body)).toContain('We could not read that request');
          for (const leak of LEAKS) expect(body).not.toMatch(leak);
        }
      }
      expect(own.logs).toHaveLength(4);
      for (const line of own.logs) {
        expect(line).toMatch(
          /^refused input the database could not take \(SQLSTATE 22[0-9A-Z]{3}\) on POST \/unchecked\/:value$/,
        );
      }
    });
  },
);
