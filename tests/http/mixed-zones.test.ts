/**
 * The double booking of issue 12, reproduced: two instances on one database, one counting rooms'
 * hours in UTC and one in Asia/Kolkata (rooms without a zone of their own follow the site's). A
 * hold for 10:00–11:00Z through the first and one for 09:30–10:30Z through the second overlap;
 * the database refuses the second, for the room and for a person, whatever each instance checked.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { isExclusionViolation } from '../../src/db/errors.ts';
import { invites } from '../../src/db/schema.ts';
import { parseHoursSpec } from '../../src/domain/availability.ts';
import { createRoom } from '../../src/domain/rooms.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { createInProcessBus } from '../../src/realtime/bus.ts';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type CookieJar, post, registerAs, textOf } from '../helpers/http.ts';

const TEN_UTC = '2027-03-16T10:00:00.000Z'; // a Tuesday; 10:00 in UTC
const HALF_NINE_UTC = '2027-03-16T09:30:00.000Z'; // 15:00 in Kolkata

describe.each(databaseKinds)('holds from instances in different zones on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  const db = () => database.current.db;
  let utc: TestApp;
  let kolkata: TestApp;
  let people: Record<'a' | 'b' | 'c', { jar: CookieJar; id: string }>;
  let aspen: string;
  let birch: string;

  beforeEach(async () => {
    const bus = createInProcessBus();
    utc = createTestApp(db(), { bus, config: { siteTimeZone: 'UTC' } });
    kolkata = createTestApp(db(), { bus, config: { siteTimeZone: 'Asia/Kolkata' } });
    people = {} as typeof people;
    for (const name of ['a', 'b', 'c'] as const) {
      const jar = await registerAs(utc.app, `user${name}`);
      people[name] = { jar, id: (await findUserByUsername(db(), `user${name}`))!.id };
    }
    // No zone of their own: 09–17 in whichever zone the instance that reads them is in.
    const rooms = [];
    for (const name of ['Aspen', 'Birch']) {
      const created = await createRoom(db(), { name, description: '' }, parseHoursSpec('Mon-Fri 09-17')!);
      if (!created.ok) throw new Error('room not created');
      rooms.push(created.room.id);
    }
    [aspen, birch] = rooms as [string, string];
  });

  const invite = (t: TestApp, from: 'a' | 'b' | 'c', to: 'a' | 'b' | 'c', room: string, start: string) =>
    post(
      t.app,
      paths.sendInvite(),
      { room, start, invitee: people[to].id, note: '' },
      { jar: people[from].jar, htmx: true },
    );

  const accept = (t: TestApp, who: 'a' | 'b' | 'c', inviteId: string) =>
    post(
      t.app,
      paths.inviteAction(inviteId, 'accept'),
      {},
      {
        jar: people[who].jar,
        htmx: true,
        headers: { 'hx-target': ids.popupResults },
      },
    );

  async function inviteId(room: string, start: string): Promise<string> {
    const [row] = await db()
      .select({ id: invites.id })
      .from(invites)
      .where(and(eq(invites.roomId, room), eq(invites.startsAt, new Date(start))));
    return row!.id;
  }

  const active = () =>
    db()
      .select()
      .from(invites)
      .where(inArray(invites.status, ['pending', 'accepted']));

  it('refuses a second hold of the room that overlaps an accepted meeting', async () => {
    expect((await invite(utc, 'a', 'b', aspen, TEN_UTC)).status).toBe(200);
    expect((await accept(utc, 'b', await inviteId(aspen, TEN_UTC))).status).toBe(200);
    const second = await invite(kolkata, 'a', 'c', aspen, HALF_NINE_UTC);
    expect(second.status).toBe(409);
    expect(textOf(await second.text())).toContain('the room is already held for a time that overlaps it');
    expect((await active()).map((row) => row.startsAt.toISOString())).toEqual([TEN_UTC]);
  });

  it('refuses an organizer who is busy then, in another room', async () => {
    expect((await invite(utc, 'a', 'b', aspen, TEN_UTC)).status).toBe(200);
    expect((await accept(utc, 'b', await inviteId(aspen, TEN_UTC))).status).toBe(200);
    const second = await invite(kolkata, 'a', 'c', birch, HALF_NINE_UTC);
    expect(second.status).toBe(409);
    expect(textOf(await second.text())).toContain('You already have a meeting, or a pending invite you sent');
    expect(await active()).toHaveLength(1);
  });

  it('holds the room and the organizer while the first is only pending', async () => {
    expect((await invite(utc, 'a', 'b', aspen, TEN_UTC)).status).toBe(200);
    const room = await invite(kolkata, 'c', 'b', aspen, HALF_NINE_UTC);
    expect(room.status).toBe(409);
    expect(textOf(await room.text())).toContain('already held for a time that overlaps it');
    const organizer = await invite(kolkata, 'a', 'c', birch, HALF_NINE_UTC);
    expect(organizer.status).toBe(409);
    expect(textOf(await organizer.text())).toContain('You already have a meeting, or a pending invite you sent');
  });

  it('declines the pending invites that overlap the one accepted, and refuses accepting them after', async () => {
    expect((await invite(utc, 'a', 'b', aspen, TEN_UTC)).status).toBe(200);
    // Bo has not accepted anything yet: Cy may invite them for an overlapping time elsewhere.
    expect((await invite(kolkata, 'c', 'b', birch, HALF_NINE_UTC)).status).toBe(200);
    const first = await inviteId(aspen, TEN_UTC);
    expect((await accept(kolkata, 'b', await inviteId(birch, HALF_NINE_UTC))).status).toBe(200);
    const [declined] = await db().select().from(invites).where(eq(invites.id, first));
    expect(declined).toMatchObject({ status: 'rejected', reason: 'accepted-other' });
    const late = await accept(utc, 'b', first);
    expect(late.status).toBe(409);
    expect(textOf(await late.text())).toContain('already answered');
  });

  it('lets one of two parallel acceptances of overlapping invites win, through either instance', async () => {
    expect((await invite(utc, 'a', 'b', aspen, TEN_UTC)).status).toBe(200);
    expect((await invite(kolkata, 'c', 'b', birch, HALF_NINE_UTC)).status).toBe(200);
    const [fromA, fromC] = [await inviteId(aspen, TEN_UTC), await inviteId(birch, HALF_NINE_UTC)];
    const answers = await Promise.all([accept(utc, 'b', fromA), accept(kolkata, 'b', fromC)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const accepted = await db().select().from(invites).where(eq(invites.status, 'accepted'));
    expect(accepted).toHaveLength(1);
  });

  it('is the database that refuses: an overlapping hold written past every check fails', async () => {
    expect((await invite(utc, 'a', 'b', aspen, TEN_UTC)).status).toBe(200);
    const insert = (values: Partial<typeof invites.$inferInsert>) =>
      db()
        .insert(invites)
        .values({
          roomId: aspen,
          startsAt: new Date(HALF_NINE_UTC),
          endsAt: new Date('2027-03-16T10:30:00Z'),
          inviterId: people.c.id,
          inviteeId: people.b.id,
          ...values,
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
    expect(isExclusionViolation(await insert({}), 'invites_room_no_overlap')).toBe(true);
    // Another room, but the organizer of the first (Ann) is busy then.
    expect(
      isExclusionViolation(await insert({ roomId: birch, inviterId: people.a.id }), 'commitments_no_overlap'),
    ).toBe(true);
    // Touching periods do not overlap.
    expect(
      await insert({ startsAt: new Date('2027-03-16T11:00:00Z'), endsAt: new Date('2027-03-16T12:00:00Z') }),
    ).toBeNull();
  });
});
