/**
 * Authorisation, route by route: every route that touches a schedule, slot, booking, room, invite,
 * notice or account is tried as the wrong person (another visitor or booker, another schedule's
 * admin, a key of the wrong kind, another user, no session). Each must be refused with 403 or 404
 * and a message a person can read (no session: sent to the login page), and the database must be
 * exactly as it was. A guard test fails when a route is registered that neither table names, so a
 * new route cannot skip this.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { CookieJar, get, ORIGIN, post, textOf } from '../helpers/http.ts';
import { registeredRoutes } from '../helpers/routes.ts';
import { snapshotDatabase } from '../helpers/snapshot.ts';
import { buildWorld, WORLD_DATE, type World } from '../helpers/world.ts';

/** A key of the right shape that opens nothing: the last character changed. */
const altered = (key: string) => `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;

type Expectation =
  /** Refused in the page: this status, and a sentence matching `says`. */
  | { status: 403 | 404 | 409; says: RegExp }
  /** No session: a plain request goes to the login page (and comes back after). */
  | { login: true }
  /** No session, htmx request: 401 and HX-Redirect to the login page. */
  | { loginHtmx: true }
  /** No session on the account socket. */
  | { status: 401; says: RegExp };

interface Attempt {
  as: string;
  send: (t: TestApp, w: World) => Promise<Response>;
  expect: Expectation;
}

const notFound = /could not find that page/i;
const bookingGone = /This booking link no longer works/;
const notYours = /not yours to change/;
const login: Expectation = { login: true };

/** A stranger's visitor cookie, as a first visit gives it. */
const stranger = () => {
  const jar = new CookieJar();
  jar.set('visitor', 'q'.repeat(32));
  return jar;
};

const socketHeaders = {
  origin: ORIGIN,
  upgrade: 'websocket',
  connection: 'Upgrade',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
};

/**
 * Routes that change or show something belonging to someone, by `METHOD path` as Hono registers
 * them, with who tries and what they must get. Status 409 appears only where the route acts on the
 * sender's own booking and the wrong person simply has none (they cannot name anyone else's).
 */
const AUTHORISATION: Record<string, Attempt[]> = {
  // The host's dashboard: only the admin key opens it; the public id, a manage key, a visitor
  // cookie or a key one character off open nothing.
  'GET /admin/:adminKey': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) => get(t.app, paths.admin(w.a.publicId)),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a booker, with their manage key',
      send: (t, w) => get(t.app, paths.admin(w.a.manageKey)),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a guesser, one character off',
      send: (t, w) => get(t.app, paths.admin(altered(w.a.adminKey))),
      expect: { status: 404, says: notFound },
    },
  ],
  'POST /admin/:adminKey/slots': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) =>
        post(t.app, paths.adminSlots(w.a.publicId), {
          date: WORLD_DATE,
          start: '12:00',
          end: '13:00',
          split: '0',
          notes: '',
        }),
      expect: { status: 404, says: notFound },
    },
  ],
  'POST /admin/:adminKey/availability': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) =>
        post(t.app, paths.adminAvailability(w.a.publicId), [
          ['days', '1'],
          ['from1', '09:00'],
          ['to1', '10:00'],
          ['length', '30'],
          ['startDate', WORLD_DATE],
          ['ends', 'weeks'],
          ['weeks', '1'],
          ['intent', 'create'],
        ]),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a booker, with their manage key',
      send: (t, w) => post(t.app, paths.adminAvailability(w.a.manageKey), [['intent', 'create']], { htmx: true }),
      expect: { status: 404, says: notFound },
    },
  ],
  'POST /admin/:adminKey/slots/:slotId/delete': [
    {
      as: 'another schedule’s admin, with this schedule’s slot',
      send: (t, w) => post(t.app, paths.adminDeleteSlot(w.b.adminKey, w.a.slotIds[1]), {}),
      expect: { status: 404, says: /That slot no longer exists/ },
    },
    {
      as: 'another schedule’s admin, with a booked slot (htmx)',
      send: (t, w) => post(t.app, paths.adminDeleteSlot(w.b.adminKey, w.a.slotIds[0]), {}, { htmx: true }),
      expect: { status: 404, says: /That slot no longer exists/ },
    },
    {
      as: 'a visitor, with the public id',
      send: (t, w) => post(t.app, paths.adminDeleteSlot(w.a.publicId, w.a.slotIds[1]), {}),
      expect: { status: 404, says: notFound },
    },
  ],
  // Bulk deletes name a date, not a slot: another schedule's admin acts on their own schedule's
  // date. Keys of the wrong kind open nothing.
  'POST /admin/:adminKey/days/delete-open': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) => post(t.app, paths.adminDeleteOpenOfDay(w.a.publicId), { date: WORLD_DATE }),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a booker, with their manage key (htmx)',
      send: (t, w) => post(t.app, paths.adminDeleteOpenOfDay(w.a.manageKey), { date: WORLD_DATE }, { htmx: true }),
      expect: { status: 404, says: notFound },
    },
  ],
  'POST /admin/:adminKey/weeks/delete-open': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) => post(t.app, paths.adminDeleteOpenOfWeek(w.a.publicId), { date: WORLD_DATE }),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a guesser, one character off',
      send: (t, w) => post(t.app, paths.adminDeleteOpenOfWeek(altered(w.a.adminKey)), { date: WORLD_DATE }),
      expect: { status: 404, says: notFound },
    },
  ],
  'POST /admin/:adminKey/settings': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) =>
        post(t.app, paths.adminSettings(w.a.publicId), { title: 'Mine now', hostName: '', timeZone: 'UTC' }),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a booker, with their manage key',
      send: (t, w) =>
        post(t.app, paths.adminSettings(w.a.manageKey), { title: 'Mine now', hostName: '', timeZone: 'UTC' }),
      expect: { status: 404, says: notFound },
    },
  ],
  'GET /admin/:adminKey/bookings.ics': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) => get(t.app, paths.adminCalendar(w.a.publicId)),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a visitor, with their cookie’s key',
      send: (t, w) => get(t.app, paths.adminCalendar(w.a.booker.cookies.get('visitor')!)),
      expect: { status: 404, says: notFound },
    },
  ],
  'GET /admin/:adminKey/live': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) => get(t.app, paths.adminLive(w.a.publicId), { headers: socketHeaders }),
      expect: { status: 404, says: notFound },
    },
  ],
  'POST /admin/:adminKey/rotate': [
    {
      as: 'a visitor, with the public id',
      send: (t, w) => post(t.app, paths.adminRotate(w.a.publicId), {}),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'a booker, with their manage key',
      send: (t, w) => post(t.app, paths.adminRotate(w.a.manageKey), {}),
      expect: { status: 404, says: notFound },
    },
  ],

  // The scheduling page is open to whoever has its link; what a visitor does there acts on their
  // own booking only (found by their cookie), and slot ids of other schedules are not found.
  'GET /s/:publicId': [
    {
      as: 'a guesser, one character off',
      send: (t, w) => get(t.app, paths.schedule(altered(w.a.publicId))),
      expect: { status: 404, says: notFound },
    },
    {
      as: 'the host, with the admin key in place of the public id',
      send: (t, w) => get(t.app, paths.schedule(w.a.adminKey)),
      expect: { status: 404, says: notFound },
    },
  ],
  'GET /s/:publicId/view': [
    {
      as: 'a guesser, one character off',
      send: (t, w) => get(t.app, paths.scheduleView(altered(w.a.publicId)), { htmx: true }),
      expect: { status: 404, says: notFound },
    },
  ],
  'GET /s/:publicId/week': [
    {
      as: 'a guesser, one character off',
      send: (t, w) => get(t.app, paths.scheduleWeek(altered(w.a.publicId), '2026-11-23')),
      expect: { status: 404, says: notFound },
    },
  ],
  'GET /s/:publicId/book': [
    {
      as: 'a visitor, naming another schedule’s slot',
      send: (t, w) => get(t.app, `${paths.chooseSlot(w.a.publicId)}?slot=${w.b.slotIds[1]}`, { jar: w.a.other }),
      expect: { status: 404, says: /That time is gone/ },
    },
  ],
  'GET /s/:publicId/booking.ics': [
    {
      as: 'a booker of another schedule',
      send: (t, w) => get(t.app, paths.myCalendar(w.a.publicId), { jar: w.b.booker }),
      expect: { status: 404, says: /You have no booking here/ },
    },
    {
      as: 'a visitor without a booking',
      send: (t, w) => get(t.app, paths.myCalendar(w.a.publicId), { jar: stranger() }),
      expect: { status: 404, says: /You have no booking here/ },
    },
    {
      as: 'no visitor cookie',
      send: (t, w) => get(t.app, paths.myCalendar(w.a.publicId)),
      expect: { status: 404, says: /You have no booking here/ },
    },
  ],
  'POST /s/:publicId/slots/:slotId/claim': [
    {
      as: 'another visitor, on someone’s booked slot',
      send: (t, w) =>
        post(
          t.app,
          paths.claimSlot(w.a.publicId, w.a.slotIds[0]),
          { name: 'Mallory', email: '' },
          { jar: stranger(), htmx: true },
        ),
      expect: { status: 409, says: /Sorry, that time was just taken/ },
    },
    {
      as: 'a visitor, naming another schedule’s slot',
      send: (t, w) =>
        post(
          t.app,
          paths.claimSlot(w.a.publicId, w.b.slotIds[1]),
          { name: 'Mallory', email: '' },
          { jar: stranger(), htmx: true },
        ),
      expect: { status: 404, says: /That time is gone/ },
    },
  ],
  'POST /s/:publicId/slots/:slotId/move': [
    {
      as: 'another booker, onto someone’s booked slot',
      send: (t, w) =>
        post(
          t.app,
          paths.moveBooking(w.a.publicId, w.a.slotIds[0]),
          { name: 'Alex', email: '' },
          { jar: w.a.other, htmx: true },
        ),
      expect: { status: 409, says: /Sorry, that time was just taken/ },
    },
    {
      as: 'a booker of another schedule',
      send: (t, w) =>
        post(
          t.app,
          paths.moveBooking(w.a.publicId, w.a.slotIds[1]),
          { name: 'Bea', email: '' },
          { jar: w.b.booker, htmx: true },
        ),
      expect: { status: 409, says: /You have no booking to move/ },
    },
    {
      as: 'a booker, naming another schedule’s slot',
      send: (t, w) =>
        post(
          t.app,
          paths.moveBooking(w.a.publicId, w.b.slotIds[1]),
          { name: 'Alex', email: '' },
          { jar: w.a.other, htmx: true },
        ),
      expect: { status: 404, says: /That time is gone/ },
    },
  ],
  'POST /s/:publicId/release': [
    {
      as: 'a booker of another schedule',
      send: (t, w) => post(t.app, paths.release(w.a.publicId), {}, { jar: w.b.booker, htmx: true }),
      expect: { status: 409, says: /You have no booking on this schedule/ },
    },
    {
      as: 'a visitor without a booking',
      send: (t, w) => post(t.app, paths.release(w.a.publicId), {}, { jar: stranger() }),
      expect: { status: 409, says: /You have no booking on this schedule/ },
    },
  ],
  'GET /s/:publicId/live': [
    {
      as: 'the host, with the admin key in place of the public id',
      send: (t, w) => get(t.app, paths.scheduleLive(w.a.adminKey), { headers: socketHeaders }),
      expect: { status: 404, says: notFound },
    },
  ],

  // A booking's manage link: only its own key; nothing else shaped like a key opens it.
  'GET /b/:manageKey': [
    {
      as: 'a guesser, one character off',
      send: (t, w) => get(t.app, paths.manage(altered(w.a.manageKey))),
      expect: { status: 404, says: bookingGone },
    },
    {
      as: 'the host, with the admin key',
      send: (t, w) => get(t.app, paths.manage(w.a.adminKey)),
      expect: { status: 404, says: bookingGone },
    },
    {
      as: 'the booker, with their visitor cookie’s key',
      send: (t, w) => get(t.app, paths.manage(w.a.booker.cookies.get('visitor')!)),
      expect: { status: 404, says: bookingGone },
    },
  ],
  'GET /b/:manageKey/booking.ics': [
    {
      as: 'a guesser, one character off',
      send: (t, w) => get(t.app, paths.manageCalendar(altered(w.a.manageKey))),
      expect: { status: 404, says: bookingGone },
    },
    {
      as: 'a visitor, with the public id',
      send: (t, w) => get(t.app, paths.manageCalendar(w.a.publicId)),
      expect: { status: 404, says: bookingGone },
    },
  ],
  'POST /b/:manageKey/release': [
    {
      as: 'a guesser, one character off',
      send: (t, w) => post(t.app, paths.manageRelease(altered(w.a.manageKey)), {}),
      expect: { status: 404, says: bookingGone },
    },
    {
      as: 'the host, with the admin key',
      send: (t, w) => post(t.app, paths.manageRelease(w.a.adminKey), {}),
      expect: { status: 404, says: bookingGone },
    },
    {
      as: 'the booker, with their visitor cookie’s key',
      send: (t, w) => post(t.app, paths.manageRelease(w.a.booker.cookies.get('visitor')!), {}),
      expect: { status: 404, says: bookingGone },
    },
  ],

  // Accounts: everything needs a session; invites and notices only for their own people, and
  // each action only for the side it belongs to.
  'GET /profile': [{ as: 'no session', send: (t) => get(t.app, paths.profile()), expect: login }],
  'POST /profile': [
    {
      as: 'no session',
      send: (t) => post(t.app, paths.profile(), { displayName: 'X', timeZone: 'UTC' }),
      expect: login,
    },
  ],
  'POST /profile/password': [
    {
      as: 'no session',
      send: (t) =>
        post(t.app, paths.profilePassword(), { currentPassword: 'a good password', newPassword: 'taken over now' }),
      expect: login,
    },
  ],
  'POST /invites/review': [
    {
      as: 'no session',
      send: (t, w) =>
        post(t.app, paths.reviewInvite(), { room: w.roomId, start: '2027-03-16T18:00:00.000Z', invitee: '', note: '' }),
      expect: login,
    },
  ],
  'POST /invites': [
    {
      as: 'no session',
      send: (t, w) =>
        post(t.app, paths.sendInvite(), { room: w.roomId, start: '2027-03-16T18:00:00.000Z', invitee: '', note: '' }),
      expect: login,
    },
    {
      as: 'no session (htmx)',
      send: (t, w) =>
        post(
          t.app,
          paths.sendInvite(),
          { room: w.roomId, start: '2027-03-16T18:00:00.000Z', invitee: '', note: '' },
          { htmx: true },
        ),
      expect: { loginHtmx: true },
    },
  ],
  'POST /invites/book': [
    {
      as: 'no session',
      send: (t, w) => post(t.app, paths.bookForMyself(), { room: w.roomId, start: '2027-03-16T18:00:00.000Z' }),
      expect: login,
    },
    {
      as: 'no session (htmx)',
      send: (t, w) =>
        post(t.app, paths.bookForMyself(), { room: w.roomId, start: '2027-03-16T18:00:00.000Z' }, { htmx: true }),
      expect: { loginHtmx: true },
    },
  ],
  'POST /invites/:inviteId/accept': [
    {
      as: 'another user',
      send: (t, w) =>
        post(
          t.app,
          paths.inviteAction(w.pendingInviteId, 'accept'),
          {},
          { jar: w.cy, htmx: true, headers: { 'hx-target': ids.popupResults } },
        ),
      expect: { status: 404, says: notYours },
    },
    {
      as: 'the inviter (only the invitee accepts)',
      send: (t, w) => post(t.app, paths.inviteAction(w.pendingInviteId, 'accept'), {}, { jar: w.ann, htmx: true }),
      expect: { status: 404, says: notYours },
    },
    {
      as: 'another user, without JavaScript',
      send: (t, w) => post(t.app, paths.inviteAction(w.pendingInviteId, 'accept'), {}, { jar: w.cy }),
      expect: { status: 404, says: notYours },
    },
    {
      as: 'no session',
      send: (t, w) => post(t.app, paths.inviteAction(w.pendingInviteId, 'accept'), {}),
      expect: login,
    },
  ],
  'POST /invites/:inviteId/reject': [
    {
      as: 'another user',
      send: (t, w) => post(t.app, paths.inviteAction(w.pendingInviteId, 'reject'), {}, { jar: w.cy, htmx: true }),
      expect: { status: 404, says: notYours },
    },
    {
      as: 'the inviter (only the invitee rejects)',
      send: (t, w) => post(t.app, paths.inviteAction(w.pendingInviteId, 'reject'), {}, { jar: w.ann }),
      expect: { status: 404, says: notYours },
    },
  ],
  'POST /invites/:inviteId/withdraw': [
    {
      as: 'another user',
      send: (t, w) =>
        post(
          t.app,
          paths.inviteAction(w.pendingInviteId, 'withdraw'),
          {},
          { jar: w.cy, htmx: true, headers: { 'hx-target': ids.cellPanel } },
        ),
      expect: { status: 404, says: notYours },
    },
    {
      as: 'the invitee (only the inviter withdraws)',
      send: (t, w) => post(t.app, paths.inviteAction(w.pendingInviteId, 'withdraw'), {}, { jar: w.bo, htmx: true }),
      expect: { status: 404, says: notYours },
    },
  ],
  'POST /invites/:inviteId/cancel': [
    {
      as: 'another user',
      send: (t, w) =>
        post(
          t.app,
          paths.inviteAction(w.meetingId, 'cancel'),
          {},
          { jar: w.cy, htmx: true, headers: { 'hx-target': `invite-${w.meetingId}` } },
        ),
      expect: { status: 404, says: notYours },
    },
    {
      as: 'the attendee (only the organizer cancels)',
      send: (t, w) => post(t.app, paths.inviteAction(w.meetingId, 'cancel'), {}, { jar: w.bo, htmx: true }),
      expect: { status: 404, says: notYours },
    },
  ],
  'POST /invites/:inviteId/leave': [
    {
      as: 'another user',
      send: (t, w) => post(t.app, paths.inviteAction(w.meetingId, 'leave'), {}, { jar: w.cy, htmx: true }),
      expect: { status: 404, says: notYours },
    },
    {
      as: 'the organizer (only the attendee leaves)',
      send: (t, w) => post(t.app, paths.inviteAction(w.meetingId, 'leave'), {}, { jar: w.ann }),
      expect: { status: 404, says: notYours },
    },
  ],
  'GET /invites': [{ as: 'no session', send: (t) => get(t.app, paths.inbox()), expect: login }],
  'GET /meetings': [{ as: 'no session', send: (t) => get(t.app, paths.meetings()), expect: login }],
  'GET /meetings/list': [
    {
      as: 'no session (htmx)',
      send: (t) => get(t.app, paths.meetingsList(), { htmx: true }),
      expect: { loginHtmx: true },
    },
  ],
  'GET /invites/results': [
    {
      as: 'no session (htmx)',
      send: (t) => get(t.app, paths.inboxResults(), { htmx: true }),
      expect: { loginHtmx: true },
    },
  ],
  'GET /invites/:inviteId/meeting.ics': [
    {
      as: 'another user',
      send: (t, w) => get(t.app, paths.meetingCalendar(w.meetingId), { jar: w.cy }),
      expect: { status: 404, says: notFound },
    },
    { as: 'no session', send: (t, w) => get(t.app, paths.meetingCalendar(w.meetingId)), expect: login },
  ],
  'POST /notices/:noticeId/dismiss': [
    {
      as: 'the other person of the invite',
      send: (t, w) => post(t.app, paths.dismissNotice(w.annNoticeId), {}, { jar: w.bo }),
      expect: { status: 404, says: /not yours/ },
    },
    {
      as: 'another user',
      send: (t, w) => post(t.app, paths.dismissNotice(w.annNoticeId), {}, { jar: w.cy }),
      expect: { status: 404, says: /not yours/ },
    },
    { as: 'no session', send: (t, w) => post(t.app, paths.dismissNotice(w.annNoticeId), {}), expect: login },
  ],
  'GET /live': [
    {
      as: 'no session',
      send: (t) => get(t.app, paths.accountLive(), { headers: socketHeaders }),
      expect: { status: 401, says: /Log in first/ },
    },
  ],

  // Rooms are shared by everyone signed in (any of them may add rooms and set hours; what holds an
  // invite cannot be closed). Without a session nothing is shown or changed.
  'GET /rooms': [{ as: 'no session', send: (t) => get(t.app, paths.rooms({ date: WORLD_DATE })), expect: login }],
  'GET /rooms/cell': [
    {
      as: 'no session',
      send: (t, w) => get(t.app, `${paths.roomCellPage()}?cell=${w.roomId}@2027-03-16T14:00:00.000Z`),
      expect: login,
    },
  ],
  'GET /rooms/new': [{ as: 'no session', send: (t) => get(t.app, paths.newRoom()), expect: login }],
  'POST /rooms/new': [
    { as: 'no session', send: (t) => post(t.app, paths.newRoom(), { name: 'Rogue', description: '' }), expect: login },
  ],
  'GET /rooms/:roomId': [
    { as: 'no session', send: (t, w) => get(t.app, paths.room(w.roomId)), expect: login },
    {
      as: 'a user, naming a room that does not exist',
      send: (t, w) => get(t.app, paths.room('00000000-0000-4000-8000-000000000000'), { jar: w.cy }),
      expect: { status: 404, says: /No such room/ },
    },
  ],
  'POST /rooms/:roomId': [
    {
      as: 'no session',
      send: (t, w) => post(t.app, paths.room(w.roomId), { name: 'Renamed', description: '' }),
      expect: login,
    },
  ],
  'POST /rooms/:roomId/hours': [
    {
      as: 'no session',
      send: (t, w) => post(t.app, paths.roomHours(w.roomId), { open2: 'on', from2: '12', to2: '13' }),
      expect: login,
    },
  ],
  'POST /rooms/:roomId/overrides': [
    {
      as: 'no session',
      send: (t, w) => post(t.app, paths.roomOverrides(w.roomId), { date: WORLD_DATE, hour: '15', open: '0' }),
      expect: login,
    },
  ],
  'POST /rooms/:roomId/overrides/remove': [
    {
      as: 'no session',
      send: (t, w) => post(t.app, paths.roomOverrideRemove(w.roomId), { date: WORLD_DATE, hour: '15' }),
      expect: login,
    },
  ],
  'POST /rooms/:roomId/archive': [
    { as: 'no session', send: (t, w) => post(t.app, paths.roomArchive(w.roomId), {}), expect: login },
    {
      as: 'no session (htmx)',
      send: (t, w) => post(t.app, paths.roomArchive(w.roomId), {}, { htmx: true }),
      expect: { loginHtmx: true },
    },
  ],
};

/** Routes anyone may use, and why that is safe. */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /assets/:file': 'static files, the same for everyone',
  'GET /healthz': 'says whether the database answers; shows no data',
  'GET /': 'the home page with the create form',
  'POST /schedules': 'anyone may create a schedule; it gets its own new keys',
  'GET /zone-field': 'a form field for the sender’s own zone; reads no data',
  'POST /tz': 'sets the sender’s own zone cookie',
  'GET /login': 'the login form',
  'POST /login': 'checks credentials (rate-limited; one generic message)',
  'POST /logout': 'ends only the session whose cookie was sent',
  'GET /register': 'the sign-up form',
  'POST /register': 'creates an account (rate-limited; REGISTRATION=closed turns it off)',
};

describe.each(databaseKinds)('authorisation on %s', (kind) => {
  const database = useTestDatabase(kind);
  let t: TestApp;
  beforeEach(() => {
    t = createTestApp(database.current.db, { config: { bookingRateLimit: 10_000, registrationRateLimit: 10_000 } });
  });

  it('lists every registered route, either with its wrong-person attempts or as public with a reason', () => {
    const routes = registeredRoutes(t);
    const listed = new Set([...Object.keys(AUTHORISATION), ...Object.keys(PUBLIC_ROUTES)]);
    expect(
      routes.filter((r) => !listed.has(r)),
      'routes missing from the authorisation table and the public list',
    ).toEqual([]);
    expect(
      [...listed].filter((r) => !routes.includes(r)),
      'listed routes that no longer exist',
    ).toEqual([]);
    for (const [route, attempts] of Object.entries(AUTHORISATION)) expect(attempts.length, route).toBeGreaterThan(0);
    expect(Object.keys(AUTHORISATION).filter((r) => r in PUBLIC_ROUTES)).toEqual([]);
  });

  it('refuses each route to the wrong person, with a message, and changes nothing', async () => {
    const world = await buildWorld(t, database.current.db);
    const before = await snapshotDatabase(database.current.db);
    let tried = 0;
    for (const [route, attempts] of Object.entries(AUTHORISATION)) {
      for (const attempt of attempts) {
        const label = `${route} as ${attempt.as}`;
        const response = await attempt.send(t, world);
        const body = await response.text();
        const want = attempt.expect;
        if ('login' in want) {
          expect.soft(response.status, label).toBe(303);
          expect.soft(response.headers.get('location') ?? '', label).toMatch(/^\/login\?next=%2F/);
        } else if ('loginHtmx' in want) {
          expect.soft(response.status, label).toBe(401);
          expect.soft(response.headers.get('hx-redirect') ?? '', label).toMatch(/^\/login\?next=%2F/);
        } else {
          expect.soft(response.status, label).toBe(want.status);
          expect.soft(textOf(body), label).toMatch(want.says);
        }
        expect.soft(body, `${label}: no stack trace`).not.toMatch(/\n\s+at .+:\d+:\d+/);
        expect.soft(await snapshotDatabase(database.current.db), `${label}: database unchanged`).toEqual(before);
        tried += 1;
      }
    }
    console.log(
      `authorisation (${kind}): ${tried} wrong-person attempts on ${Object.keys(AUTHORISATION).length} routes`,
    );
    // The world is as built: the rightful people can still do what the wrong ones could not.
    expect((await get(t.app, paths.admin(world.a.adminKey))).status).toBe(200);
    expect((await get(t.app, paths.manage(world.a.manageKey))).status).toBe(200);
    expect((await get(t.app, paths.meetingCalendar(world.meetingId), { jar: world.bo })).status).toBe(200);
  });

  it('keeps each person’s lists to themselves: an outsider’s inbox and pop-ups show none of the others’ invites', async () => {
    const world = await buildWorld(t, database.current.db);
    const inbox = await (await get(t.app, paths.inbox({ box: 'received', status: 'all' }), { jar: world.cy })).text();
    const sent = await (await get(t.app, paths.inbox({ box: 'sent', status: 'all' }), { jar: world.cy })).text();
    for (const html of [inbox, sent]) {
      expect(html).not.toContain(world.pendingInviteId);
      expect(html).not.toContain(world.meetingId);
      expect(html).not.toContain(world.annNoticeId);
      expect(textOf(html)).not.toContain('At 10');
    }
    // Bo's inbox has Ann's invites; Ann's pop-ups have her notice, Bo's do not.
    expect(await (await get(t.app, paths.inbox(), { jar: world.bo })).text()).toContain(world.pendingInviteId);
    expect(await (await get(t.app, paths.inbox(), { jar: world.bo })).text()).not.toContain(world.annNoticeId);
  });
});
