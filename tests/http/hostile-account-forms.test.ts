/**
 * Hostile input to the account, room and invite forms (log in, register, profile, password, rooms,
 * hours, overrides, invites): each form's fields get every hostile text, wrong types, several
 * values, bodies that are not forms or cannot be read, sizes around the 64 KB limit, and the values
 * each field must refuse on its own (usernames, passwords, hours, dates, rooms, cells, people).
 * How cases run and what every answer must be: tests/helpers/hostile.ts.
 */
import { paths } from '../../views/paths.ts';
import {
  describeHostileInput,
  expandForm,
  type FormSpec,
  refusing,
  MONDAY,
  NO_SUCH_ID,
  type World,
  zoneChecks,
} from '../helpers/hostile.ts';

const FORMS: FormSpec[] = [
  {
    route: 'log in',
    path: () => paths.login(),
    valid: () => ({ username: 'alice', password: 'not her password' }),
    spoil: {},
    refused: 401,
    missing: 401,
    wrongType: 422,
    text: ['username', 'password'],
    checks: [
      ...refusing('username', ["alice' --", 'ALICE\u0000', '%'], 401),
      ...refusing('password', ["' OR '1'='1", ''], 401),
    ],
  },
  {
    route: 'register',
    path: () => paths.register(),
    valid: () => ({ displayName: 'Dee', username: 'dee', password: 'a good password', timeZone: 'UTC' }),
    spoil: { timeZone: 'Mars/Olympus' },
    spoilFor: { timeZone: { username: 'A B' } },
    text: ['displayName', 'username', 'password'],
    checks: [
      ...zoneChecks('timeZone')!,
      ...refusing(
        'username',
        [
          'alice',
          'ALICE',
          ' Alice ',
          'a',
          'a b',
          '-ab',
          'ab-',
          'a'.repeat(33),
          'ab\u0000',
          'ab<script>',
          'ab%',
          'ab/..',
        ],
        422,
      ),
      ...refusing('password', ['short', 'p'.repeat(257)], 422),
      ['displayName', () => ({ displayName: 'd'.repeat(81) }), 422],
    ],
  },
  {
    route: 'profile',
    path: () => paths.profile(),
    as: 'carol',
    htmx: true,
    valid: () => ({ displayName: 'Carol', timeZone: 'UTC' }),
    spoil: { timeZone: 'Mars/Olympus' },
    spoilFor: { timeZone: { displayName: '' } },
    text: ['displayName'],
    checks: [...zoneChecks('timeZone')!, ['displayName', () => ({ displayName: 'd'.repeat(81) }), 422]],
  },
  {
    route: 'change password',
    path: () => paths.profilePassword(),
    as: 'carol',
    valid: () => ({ currentPassword: 'a good password', newPassword: 'another good one' }),
    spoil: { currentPassword: 'not my password' },
    spoilFor: { currentPassword: { newPassword: 'short' } },
    text: ['currentPassword', 'newPassword'],
    checks: [...refusing('newPassword', ['short', 'p'.repeat(257), ''], 422)],
  },
  {
    route: 'new room',
    path: () => paths.newRoom(),
    as: 'alice',
    valid: () => ({ name: 'New room', description: 'Six seats', open1: '1', from1: '9', to1: '17' }),
    spoil: { open2: '1', from2: '18', to2: '9' },
    text: ['name', 'description', 'from1', 'to1'],
    checks: [
      ...refusing('name', ['Room One', 'ROOM ONE'], 409),
      ['name', () => ({ name: 'n'.repeat(61) }), 422],
      ['description', () => ({ description: 'd'.repeat(501) }), 422],
      ...refusing('from1', ['25', '-1', '1.5', 'abc', '', '9007199254740993', 'Infinity', 'NaN', '17'], 422),
      ...refusing('to1', ['25', '0', '-0', '1e400'], 422),
    ],
  },
  {
    route: 'room details',
    path: (w) => paths.room(w.roomId),
    as: 'alice',
    valid: () => ({ name: 'Room One', description: 'Eight seats' }),
    spoil: { name: '' },
    spoilFor: { name: { description: 'd'.repeat(501) } },
    text: ['name', 'description'],
    checks: [...refusing('name', ['Room Two', ' room two '], 409)],
  },
  {
    route: 'weekly hours',
    path: (w) => paths.roomHours(w.roomId),
    as: 'alice',
    valid: () =>
      Object.fromEntries(
        [1, 2, 3, 4, 5, 6, 7].flatMap((d) => [
          [`open${d}`, '1'],
          [`from${d}`, '8'],
          [`to${d}`, '18'],
        ]),
      ),
    spoil: { from3: '12', to3: '11' },
    spoilFor: { from3: { to4: '3' }, to3: { to4: '3' } },
    missing: 409, // every day closed would strand the meeting and the invite
    text: ['from1', 'to1'],
    checks: [
      ['from1', () => ({ from1: '25' }), 422],
      ['to1', () => ({ to1: '25' }), 422],
      ...refusing('from1', ['abc', ''], 422),
      // Monday from noon would close the hours that hold the invite and the meeting.
      ['from1', () => ({ from1: '12' }), 409],
    ],
  },
  {
    route: 'open or close one hour',
    path: (w) => paths.roomOverrides(w.roomId),
    as: 'alice',
    valid: () => ({ date: '2026-12-01', hour: '10', open: '0' }),
    spoil: { hour: '24' },
    spoilFor: { hour: { date: '2026-02-30' } },
    text: ['date', 'hour'],
    checks: [
      ...refusing(
        'date',
        ['2026-02-30', '0000-01-01', '99999-01-01', '9999-12-31', '2026-11-20', '1899-12-31', '2026-12-01T10:00'],
        422,
      ),
      ...refusing('hour', ['24', '-1', '1.5', 'abc', '', 'Infinity', '1e400'], 422),
      // Closing the hour that holds the pending invite.
      ['date', () => ({ date: MONDAY, hour: '10', open: '0' }), 409],
    ],
  },
  {
    route: 'remove an override',
    path: (w) => paths.roomOverrideRemove(w.roomId),
    as: 'alice',
    valid: () => ({ date: '2026-12-01', hour: '10' }),
    spoil: { hour: '24' },
    spoilFor: { hour: { date: '2026-02-30' } },
    text: ['date', 'hour'],
    checks: [
      ...refusing('date', ['2026-02-30', '0000-01-01', '9999-12-31', '1899-12-31'], 422),
      ...refusing('hour', ['24', '-1', '1.5', 'abc', ''], 422),
    ],
  },
  ...(['review an invite', 'send an invite'] as const).map(
    (route): FormSpec => ({
      route,
      path: () => (route === 'send an invite' ? paths.sendInvite() : paths.reviewInvite()),
      as: 'alice',
      htmx: true,
      valid: (w) => ({ room: w.roomId, start: w.hour(13), invitee: w.bobId, note: 'Quarterly plan' }),
      spoil: { invitee: '' },
      spoilFor: { invitee: { note: 'n'.repeat(501) } },
      missing: 404, // no room, no hour: that cell is not in the grid
      wrongTypeFor: { room: 404, start: 404 },
      text: ['note', 'invitee'],
      checks: [
        ...refusing('room', [NO_SUCH_ID, 'abc', '-'.repeat(36)], 404),
        ['room', (w) => ({ room: w.archivedRoomId }), 404],
        ['room', () => ({ room: `${NO_SUCH_ID}@x` }), 404],
        ...refusing('start', ['abc', ''], 404),
        // Quarter hours can start a room's block (rooms in :30 and :45 zones): at :30 this room has
        // none, so the hour is not open (409); a start off the quarter hours is no cell at all (404).
        ['start', (w) => ({ start: w.hour(13).replace(':00:00', ':30:00') }), 409],
        ['start', (w) => ({ start: w.hour(13).replace(':00:00', ':07:00') }), 404],
        ...refusing(
          'start',
          [
            '+275760-09-13T00:00:00.000Z',
            '-271821-04-20T00:00:00.000Z',
            '0000-01-01T05:00:00.000Z',
            '9999-12-31T23:00:00.000Z',
            '1e15',
            '2026-11-23T13:00:00.000Z\u0000',
          ],
          404,
        ),
        // Hours that are no longer open: one already held, one past, one closed.
        ['start', (w) => ({ start: w.hour(10) }), 409],
        ['start', () => ({ start: '2026-11-20T15:00:00.000Z' }), 409],
        ['start', (w) => ({ start: w.hour(20) }), 409],
        ...refusing('invitee', ['abc', '-'.repeat(36), NO_SUCH_ID], 422),
        ['invitee', (w) => ({ invitee: w.aliceId }), 422],
        ['invitee', (w) => ({ invitee: [w.bobId, w.bobId] }), 422],
        ['note', () => ({ note: 'n'.repeat(501) }), 422],
        ...(route === 'send an invite'
          ? ([
              // Bob has the meeting at 11:00, in another room.
              ['room', (w) => ({ room: w.otherRoomId, start: w.hour(11) }), 409],
            ] satisfies [string, (w: World) => Record<string, string>, number][])
          : []),
      ],
    }),
  ),
];

describeHostileInput('hostile account and room form input', FORMS.flatMap(expandForm));
