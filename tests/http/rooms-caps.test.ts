/**
 * The caps strangers could otherwise grow without bound, decided by the database: rooms on the
 * site (MAX_ROOMS, archived ones included) and invites one person sends per hour
 * (INVITE_RATE_LIMIT). The request just over a cap is refused with a readable message and saves
 * nothing; many sent at once never store more than the cap, on PGlite and PostgreSQL.
 */
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invites, rooms } from '../../src/db/schema.ts';
import { listActiveRooms } from '../../src/domain/rooms.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { findUserByUsername } from '../../src/domain/users.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type CookieJar, elementById, post, registerAs, textOf } from '../helpers/http.ts';
import { snapshotDatabase } from '../helpers/snapshot.ts';

const DATE = '2027-03-16'; // a Tuesday; rooms' hours are in New York
const at = (hour: number) => hourBlocksOfDate(DATE, 'America/New_York')[hour]!.startsAt;
const TUESDAY_9_TO_17 = { open2: 'on', from2: '9', to2: '17' };

describe.each(databaseKinds)('room and invite caps on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  const db = () => database.current.db;

  const roomCount = async () => (await db().select({ n: count() }).from(rooms))[0]!.n;
  const addRoom = (t: TestApp, jar: CookieJar, name: string, description = '') =>
    post(t.app, paths.newRoom(), { name, description, ...TUESDAY_9_TO_17 }, { jar });

  it('refuses the room over MAX_ROOMS with a message in the form, as typed, and saves nothing; archived rooms count', async () => {
    const t = createTestApp(db(), { config: { maxRooms: 3 } });
    const ann = await registerAs(t.app, 'ann');
    for (const name of ['Aspen', 'Birch']) expect((await addRoom(t, ann, name)).status).toBe(303);
    const [aspen] = await listActiveRooms(db());
    expect((await post(t.app, paths.roomArchive(aspen!.id), {}, { jar: ann })).status).toBe(303);
    expect((await addRoom(t, ann, 'Cedar')).status).toBe(303); // two active, one archived: three

    const before = await snapshotDatabase(db());
    const refused = await addRoom(t, ann, 'Douglas <fir>', 'Six seats');
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(textOf(page)).toContain(
      'No room was added: the site already has 3 rooms, the most it can hold (archived rooms count too).',
    );
    expect(elementById(page, 'room-name')).toContain('value="Douglas &lt;fir&gt;"');
    expect(page).toContain('Six seats</textarea>');
    expect(await snapshotDatabase(db())).toEqual(before);
  });

  it('never stores more than MAX_ROOMS rooms when many are added at once', async () => {
    const t = createTestApp(db(), { config: { maxRooms: 3 } });
    const ann = await registerAs(t.app, 'ann');
    expect((await addRoom(t, ann, 'Aspen')).status).toBe(303);
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => addRoom(t, ann, `Room ${i}`)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([303, 303, 422, 422, 422, 422, 422, 422]);
    expect(await roomCount()).toBe(3);
  });

  async function invitingWorld(config: { inviteRateLimit: number }) {
    const t = createTestApp(db(), { config });
    const ann = await registerAs(t.app, 'ann');
    await registerAs(t.app, 'bo');
    expect((await addRoom(t, ann, 'Aspen')).status).toBe(303);
    const [aspen] = await listActiveRooms(db());
    const annId = (await findUserByUsername(db(), 'ann'))!.id;
    const boId = (await findUserByUsername(db(), 'bo'))!.id;
    const send = (hour: number) =>
      post(
        t.app,
        paths.sendInvite(),
        { room: aspen!.id, start: at(hour).toISOString(), invitee: boId, note: 'Hello' },
        { jar: ann, htmx: true },
      );
    const sentBy = async (userId: string) =>
      (await db().select({ n: count() }).from(invites).where(eq(invites.inviterId, userId)))[0]!.n;
    return { t, ann, annId, send, sentBy };
  }

  it('refuses the invite over INVITE_RATE_LIMIT in an hour with 429, Retry-After and a message, saving nothing, until the hour has passed', async () => {
    const { t, ann, annId, send, sentBy } = await invitingWorld({ inviteRateLimit: 3 });
    for (const hour of [9, 10, 11]) {
      expect((await send(hour)).status).toBe(200);
      t.clock.advance(10 * 60_000);
    }
    // Withdrawn invites were still sent: they count.
    const [first] = await db()
      .select()
      .from(invites)
      .where(eq(invites.startsAt, at(9)));
    expect((await post(t.app, paths.inviteAction(first!.id, 'withdraw'), {}, { jar: ann, htmx: true })).status).toBe(
      200,
    );

    // Half an hour after the first: the fourth is refused until the first is an hour old.
    const before = await snapshotDatabase(db());
    const refused = await send(12);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(30 * 60));
    const text = textOf(await refused.text());
    expect(text).toContain(
      'Not sent: you have sent 3 invites in the past hour, the most allowed. You can send another in about 30 minutes.',
    );
    expect(text).toContain('Hello'); // the note, as typed
    expect(await snapshotDatabase(db())).toEqual(before);

    t.clock.advance(30 * 60_000 - 1000);
    expect((await send(12)).status).toBe(429);
    expect((await send(12)).headers.get('retry-after')).toBe('1');
    t.clock.advance(1000);
    expect((await send(12)).status).toBe(200);
    expect((await send(13)).status).toBe(429);
    expect(await sentBy(annId)).toBe(4);
  });

  it('never lets parallel sends pass INVITE_RATE_LIMIT', async () => {
    const { send, annId, sentBy } = await invitingWorld({ inviteRateLimit: 3 });
    const responses = await Promise.all([9, 10, 11, 12, 13, 14, 15, 16].map((hour) => send(hour)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    expect(await sentBy(annId)).toBe(3);
  });
});
