/**
 * Hostile input to the schedule forms (create, settings, slots, booking, moving): each form's
 * fields get every hostile text, wrong types, several values, bodies that are not forms or cannot
 * be read, sizes around the 64 KB limit, and the values each field must refuse on its own (zones,
 * dates, times, DST gaps, splits, emails). How cases run and what every answer must be:
 * tests/helpers/hostile.ts.
 */
import { paths } from '../../views/paths.ts';
import {
  describeHostileInput,
  expandForm,
  type FormSpec,
  refusing,
  type Who,
  type World,
  zoneChecks,
} from '../helpers/hostile.ts';

const scheduleForm = (route: string, path: (w: World) => string, htmx: boolean): FormSpec => ({
  route,
  path,
  htmx,
  valid: () => ({ title: 'Office hours', hostName: 'Host', timeZone: 'UTC' }),
  spoil: { timeZone: 'Mars/Olympus' },
  spoilFor: { timeZone: { title: 'x'.repeat(121) } },
  text: ['title', 'hostName'],
  checks: [
    ...zoneChecks('timeZone')!,
    ['title', () => ({ title: 't'.repeat(121) }), 422],
    ['hostName', () => ({ hostName: 'h'.repeat(81) }), 422],
  ],
});

const slotChecks: FormSpec['checks'] = [
  ...refusing(
    'date',
    [
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '0000-01-01',
      '1899-12-31',
      '99999-01-01',
      '9999-12-31',
      '-2026-01-01',
      '2026-1-1',
      '2026-12-01T09:00',
      '2025-01-01',
    ],
    422,
  ),
  ...refusing('start', ['24:00', '25:61', '9:00', '09:60', '09:00:30', '-01:00', '0900', '09:00 PM', '１０:００'], 422),
  // Earlier today in New York (the tests' clock reads 07:00 there).
  ['start', () => ({ date: '2026-11-21', start: '06:00', end: '07:00' }), 422],
  ['end', () => ({ start: '10:00', end: '09:00' }), 422],
  ['end', () => ({ start: '10:00', end: '10:00' }), 422],
  ['end', () => ({ end: '24:00' }), 422],
  // New York's clocks jump from 02:00 to 03:00 on 14 March 2027 and go back on 7 November.
  ['start', () => ({ date: '2027-03-14', start: '02:30', end: '03:30', split: '0' }), 422],
  ['end', () => ({ date: '2027-03-14', start: '01:30', end: '02:30', split: '0' }), 422],
  ['start', () => ({ date: '2027-11-07', start: '01:00', end: '01:30', split: '0' }), 422],
  ...refusing('split', ['7', '-30', '1e309', 'abc', '30.5', '9007199254740993'], 422),
  ['split', () => ({ start: '09:00', end: '10:00', split: '45' }), 422],
  ['notes', () => ({ notes: 'n'.repeat(1001) }), 422],
  // Overlaps the slots the world already has.
  ['date', () => ({ date: '2026-11-25', start: '09:15', end: '09:45', split: '0' }), 409],
];

/** Booking and moving take the same form: a name and an optional email. */
const bookingForm = (route: string, path: (w: World) => string, as?: Who): FormSpec => ({
  route,
  path,
  ...(as ? { as } : {}),
  htmx: true,
  valid: () => ({ name: 'Vera Visitor', email: 'vera@example.com' }),
  spoil: { email: 'not an email' },
  spoilFor: { email: { name: '' } },
  text: ['name', 'email'],
  checks: [
    ...refusing(
      'email',
      [
        'a@b',
        'a@b.c\r\nBcc: x@y.z',
        '<a@b.c>',
        'a"b@c.d',
        `${'x'.repeat(250)}@b.co`,
        'a@b.c,d@e.f',
        'a b@c.d',
        '@',
        'a@b.c\u0000@x',
      ],
      422,
    ),
    ...refusing('name', ['', '   ', '\u0000', '\u202e', '\r\n', 'n'.repeat(101)], 422),
  ],
});

const FORMS: FormSpec[] = [
  scheduleForm('create a schedule', () => paths.createSchedule(), false),
  scheduleForm('schedule settings', (w) => paths.adminSettings(w.adminKey), true),
  {
    route: 'add slots',
    path: (w) => paths.adminSlots(w.adminKey),
    htmx: true,
    valid: () => ({ date: '2026-12-02', start: '09:00', end: '10:00', split: '30', notes: 'Room 4' }),
    spoil: { date: '2026-02-30' },
    spoilFor: { date: { start: '25:61' } },
    text: ['notes', 'date', 'start', 'end', 'split'],
    checks: slotChecks,
  },
  bookingForm('book a slot', (w) => paths.claimSlot(w.publicId, w.openSlot)),
  // The visitor who holds a booking, moving it.
  bookingForm('move a booking', (w) => paths.moveBooking(w.publicId, w.openSlot), 'visitor'),
];

describeHostileInput('hostile schedule form input', FORMS.flatMap(expandForm));
