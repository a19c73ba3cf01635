/**
 * A small populated site for the security tests: two schedules with bookings by different visitors,
 * three people with a room, a pending invite, an accepted meeting and a notice. Every key and id a
 * test needs to try a route as the wrong person is here.
 */
import { asc } from 'drizzle-orm';
import { invites, notifications, rooms } from '../../src/db/schema.ts';
import type { Database } from '../../src/db/client.ts';
import { findScheduleByAdminKey } from '../../src/domain/schedules.ts';
import { listSlotsForSchedule } from '../../src/domain/slots.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import type { TestApp } from './app.ts';
import { adminKeyOf, CookieJar, get, post, registerAs } from './http.ts';

export const WORLD_DATE = '2027-03-16'; // a Tuesday; rooms' hours are in New York

export interface WorldSchedule {
  adminKey: string;
  publicId: string;
  id: string;
  /** [booked by `booker`, open, booked by `other`] */
  slotIds: [string, string, string];
  /** The visitor who booked slot 0, and the manage key of that booking. */
  booker: CookieJar;
  manageKey: string;
  /** Another visitor of the same schedule, holding slot 2. */
  other: CookieJar;
  otherManageKey: string;
}

export interface World {
  a: WorldSchedule;
  b: WorldSchedule;
  /** Ann invites Bo; Cy is an outsider. */
  ann: CookieJar;
  bo: CookieJar;
  cy: CookieJar;
  roomId: string;
  /** Ann → Bo at 10:00, pending. */
  pendingInviteId: string;
  /** Ann → Bo at 11:00, accepted by Bo. */
  meetingId: string;
  /** Ann's notice that Bo accepted. */
  annNoticeId: string;
}

async function visit(t: TestApp, publicId: string): Promise<CookieJar> {
  const jar = new CookieJar();
  jar.set('tz', 'America/New_York');
  await get(t.app, paths.schedule(publicId), { jar });
  return jar;
}

async function book(t: TestApp, publicId: string, slotId: string, jar: CookieJar, name: string): Promise<string> {
  const response = await post(
    t.app,
    paths.claimSlot(publicId, slotId),
    { name, email: `${name.toLowerCase()}@example.com` },
    { jar, htmx: true },
  );
  const manageKey = /\/b\/([a-z2-7]{32})/.exec(await response.text())?.[1];
  if (response.status !== 200 || !manageKey) throw new Error(`booking for ${name} failed: ${response.status}`);
  return manageKey;
}

async function makeSchedule(t: TestApp, db: Database, title: string, people: [string, string]): Promise<WorldSchedule> {
  const created = await post(t.app, paths.createSchedule(), { title, hostName: 'Host', timeZone: 'America/New_York' });
  const adminKey = adminKeyOf(created.headers.get('location')!);
  await post(t.app, paths.adminSlots(adminKey), {
    date: WORLD_DATE,
    start: '09:00',
    end: '10:30',
    split: '30',
    notes: '',
  });
  const schedule = (await findScheduleByAdminKey(db, adminKey))!;
  const slotIds = (await listSlotsForSchedule(db, schedule.id)).map((s) => s.id) as [string, string, string];
  const booker = await visit(t, schedule.publicId);
  const other = await visit(t, schedule.publicId);
  const manageKey = await book(t, schedule.publicId, slotIds[0], booker, people[0]);
  const otherManageKey = await book(t, schedule.publicId, slotIds[2], other, people[1]);
  return { adminKey, publicId: schedule.publicId, id: schedule.id, slotIds, booker, manageKey, other, otherManageKey };
}

export async function buildWorld(t: TestApp, db: Database): Promise<World> {
  const a = await makeSchedule(t, db, 'Schedule A', ['Ann-visitor', 'Alex-visitor']);
  const b = await makeSchedule(t, db, 'Schedule B', ['Bea-visitor', 'Bob-visitor']);
  const ann = await registerAs(t.app, 'ann');
  const bo = await registerAs(t.app, 'bo');
  const cy = await registerAs(t.app, 'cy');
  const weekly = { open2: 'on', from2: '9', to2: '17' };
  await post(t.app, paths.newRoom(), { name: 'Aspen', description: '', ...weekly }, { jar: ann });
  const [room] = await db.select().from(rooms);
  const boId = (await findUserByUsername(db, 'bo'))!.id;
  const at = (hour: number) => hourBlocksOfDate(WORLD_DATE, 'America/New_York')[hour]!.startsAt.toISOString();
  for (const hour of [10, 11]) {
    const sent = await post(
      t.app,
      paths.sendInvite(),
      { room: room!.id, start: at(hour), invitee: boId, note: `At ${hour}` },
      { jar: ann, htmx: true },
    );
    if (sent.status !== 200) throw new Error(`invite failed: ${sent.status}`);
  }
  const [pending, meeting] = await db.select().from(invites).orderBy(asc(invites.startsAt));
  const accepted = await post(
    t.app,
    paths.inviteAction(meeting!.id, 'accept'),
    {},
    { jar: bo, htmx: true, headers: { 'hx-target': ids.popupResults } },
  );
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status}`);
  const [notice] = await db.select().from(notifications);
  return {
    a,
    b,
    ann,
    bo,
    cy,
    roomId: room!.id,
    pendingInviteId: pending!.id,
    meetingId: meeting!.id,
    annNoticeId: notice!.id,
  };
}
