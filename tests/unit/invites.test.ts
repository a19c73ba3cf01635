/** The invite state machine, rooms' hours and the races, on PGlite and (with TEST_DATABASE_URL) PostgreSQL. */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseHoursSpec } from '../../src/domain/availability.ts';
import { buildGrid, loadGrid } from '../../src/domain/grid.ts';
import {
  acceptInvite,
  cancelMeeting,
  createInvite,
  expireDueInvites,
  leaveMeeting,
  listAgenda,
  listInbox,
  listPendingReceived,
  rejectInvite,
  withdrawInvite,
} from '../../src/domain/invites.ts';
import { dismissNotice, listUnseenNotices } from '../../src/domain/notifications.ts';
import { archiveRoom, createRoom, setHourOverride, setWeeklyHours } from '../../src/domain/rooms.ts';
import { hourBlocksOfDate } from '../../src/domain/time.ts';
import { registerUser, type User } from '../../src/domain/users.ts';
import { commitments } from '../../src/db/schema.ts';
import { TEST_NOW } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';

const ZONE = 'America/New_York';
const DATE = '2027-03-16'; // a Tuesday
const at = (hour: number) => hourBlocksOfDate(DATE, ZONE)[hour]!.startsAt;

describe.each(databaseKinds)('invites on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  const db = () => database.current.db;

  async function person(username: string, timeZone = ZONE): Promise<User> {
    const result = await registerUser(db(), {
      username,
      password: 'a good password',
      displayName: username[0]!.toUpperCase() + username.slice(1),
      timeZone,
    });
    if (!result.ok) throw new Error('user exists');
    return result.user;
  }

  async function room(name: string, hours = 'Mon-Fri 09-17') {
    const result = await createRoom(db(), { name, description: '' }, parseHoursSpec(hours)!);
    if (!result.ok) throw new Error('room exists');
    return result.room;
  }

  async function world() {
    const [ann, bo, cy] = [await person('ann'), await person('bo', 'America/Denver'), await person('cy')];
    const [aspen, birch] = [await room('Aspen'), await room('Birch')];
    return { ann, bo, cy, aspen, birch };
  }

  const invite = (inviter: User, invitee: User, roomId: string, hour = 10, note = '') =>
    createInvite(db(), {
      inviterId: inviter.id,
      inviteeId: invitee.id,
      roomId,
      startsAt: at(hour),
      note,
      now: TEST_NOW,
      zone: ZONE,
    });

  it('creates a pending invite that holds the room and the inviter’s hour', async () => {
    const { ann, bo, aspen } = await world();
    const result = await invite(ann, bo, aspen.id, 10, 'Planning');
    expect(result).toMatchObject({
      ok: true,
      invite: {
        status: 'pending',
        note: 'Planning',
        room: { name: 'Aspen' },
        inviter: { username: 'ann' },
        invitee: { username: 'bo' },
      },
    });
    if (!result.ok) return;
    expect(result.invite.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.invite.endsAt.getTime() - result.invite.startsAt.getTime()).toBe(3_600_000);
    const held = await db().select().from(commitments);
    expect(held.map((c) => c.userId)).toEqual([ann.id]);
    expect((await listPendingReceived(db(), bo.id, TEST_NOW)).map((i) => i.id)).toEqual([result.invite.id]);
  });

  it('refuses past, closed, taken, self, unknown and non-hour invites', async () => {
    const { ann, bo, cy, aspen } = await world();
    expect(await invite(ann, bo, aspen.id, 8)).toEqual({ ok: false, reason: 'closed' });
    expect(await invite(ann, ann, aspen.id)).toEqual({ ok: false, reason: 'self' });
    expect(
      await createInvite(db(), {
        inviterId: ann.id,
        inviteeId: bo.id,
        roomId: aspen.id,
        startsAt: new Date(at(10).getTime() + 60_000),
        note: '',
        now: TEST_NOW,
        zone: ZONE,
      }),
    ).toEqual({ ok: false, reason: 'not-an-hour' });
    expect(
      await createInvite(db(), {
        inviterId: ann.id,
        inviteeId: bo.id,
        roomId: aspen.id,
        startsAt: at(10),
        note: '',
        now: at(10),
        zone: ZONE,
      }),
    ).toEqual({ ok: false, reason: 'past' });
    expect(
      await createInvite(db(), {
        inviterId: ann.id,
        inviteeId: '00000000-0000-4000-8000-000000000000',
        roomId: aspen.id,
        startsAt: at(10),
        note: '',
        now: TEST_NOW,
        zone: ZONE,
      }),
    ).toEqual({ ok: false, reason: 'invitee-not-found' });
    await invite(ann, bo, aspen.id, 10);
    expect(await invite(cy, bo, aspen.id, 10)).toEqual({ ok: false, reason: 'taken' });
  });

  it('refuses an inviter who already holds that hour, and an invitee already in a meeting then', async () => {
    const { ann, bo, cy, aspen, birch } = await world();
    await invite(ann, bo, aspen.id, 10);
    expect(await invite(ann, cy, birch.id, 10)).toEqual({ ok: false, reason: 'you-busy' });
    const first = await invite(cy, bo, birch.id, 11);
    if (!first.ok) throw new Error('invite failed');
    await acceptInvite(db(), { inviteId: first.invite.id, userId: bo.id, now: TEST_NOW });
    expect(await invite(ann, bo, aspen.id, 11)).toEqual({ ok: false, reason: 'invitee-busy' });
  });

  it('accepting books the room, declines the invitee’s other invites that hour and tells every inviter', async () => {
    const { ann, bo, cy, aspen, birch } = await world();
    const fromAnn = await invite(ann, bo, aspen.id, 10);
    const fromCy = await invite(cy, bo, birch.id, 10);
    if (!fromAnn.ok || !fromCy.ok) throw new Error('invite failed');
    const accepted = await acceptInvite(db(), { inviteId: fromAnn.invite.id, userId: bo.id, now: TEST_NOW });
    expect(accepted).toMatchObject({
      ok: true,
      invite: { status: 'accepted' },
      declined: [{ id: fromCy.invite.id, status: 'rejected', reason: 'accepted-other' }],
    });
    expect((await listUnseenNotices(db(), ann.id)).map((n) => n.kind)).toEqual(['accepted']);
    expect((await listUnseenNotices(db(), cy.id)).map((n) => n.kind)).toEqual(['declined-other']);
    // Birch at 10 is free again; Bo and Ann hold the hour.
    expect(await invite(cy, ann, birch.id, 10)).toEqual({ ok: false, reason: 'invitee-busy' });
    const held = (await db().select().from(commitments)).map((c) => c.userId).sort();
    expect(held).toEqual([ann.id, bo.id].sort());
  });

  it('only the invitee can accept or reject, only while pending and before the hour', async () => {
    const { ann, bo, cy, aspen } = await world();
    const sent = await invite(ann, bo, aspen.id, 10);
    if (!sent.ok) throw new Error('invite failed');
    const id = sent.invite.id;
    expect(await acceptInvite(db(), { inviteId: id, userId: cy.id, now: TEST_NOW })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await acceptInvite(db(), { inviteId: id, userId: ann.id, now: TEST_NOW })).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    expect(await acceptInvite(db(), { inviteId: id, userId: bo.id, now: at(10) })).toMatchObject({
      ok: false,
      reason: 'started',
    });
    expect(await rejectInvite(db(), { inviteId: id, userId: bo.id, now: TEST_NOW })).toMatchObject({
      ok: true,
      invite: { status: 'rejected' },
    });
    expect(await acceptInvite(db(), { inviteId: id, userId: bo.id, now: TEST_NOW })).toMatchObject({
      ok: false,
      reason: 'not-pending',
    });
    expect((await listUnseenNotices(db(), ann.id)).map((n) => n.kind)).toEqual(['rejected']);
    expect(await db().select().from(commitments)).toHaveLength(0); // the hold is freed
    expect(await invite(cy, bo, aspen.id, 10)).toMatchObject({ ok: true });
  });

  it('refuses an acceptance when the invitee proposed something else for that hour', async () => {
    const { ann, bo, cy, aspen, birch } = await world();
    const toBo = await invite(ann, bo, aspen.id, 10);
    await invite(bo, cy, birch.id, 10);
    if (!toBo.ok) throw new Error('invite failed');
    expect(await acceptInvite(db(), { inviteId: toBo.invite.id, userId: bo.id, now: TEST_NOW })).toMatchObject({
      ok: false,
      reason: 'busy',
    });
  });

  it('lets the sender withdraw, the organizer cancel and the attendee leave, telling the other', async () => {
    const { ann, bo, aspen } = await world();
    const a = await invite(ann, bo, aspen.id, 10);
    if (!a.ok) throw new Error('invite failed');
    expect(await withdrawInvite(db(), { inviteId: a.invite.id, userId: bo.id, now: TEST_NOW })).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    expect(await withdrawInvite(db(), { inviteId: a.invite.id, userId: ann.id, now: TEST_NOW })).toMatchObject({
      ok: true,
      invite: { status: 'withdrawn', endedBy: ann.id },
    });
    expect((await listUnseenNotices(db(), bo.id)).map((n) => n.kind)).toEqual(['withdrawn']);

    const b = await invite(ann, bo, aspen.id, 11);
    if (!b.ok) throw new Error('invite failed');
    await acceptInvite(db(), { inviteId: b.invite.id, userId: bo.id, now: TEST_NOW });
    expect(await cancelMeeting(db(), { inviteId: b.invite.id, userId: bo.id, now: TEST_NOW })).toMatchObject({
      ok: false,
    });
    expect(await cancelMeeting(db(), { inviteId: b.invite.id, userId: ann.id, now: TEST_NOW })).toMatchObject({
      ok: true,
      invite: { status: 'cancelled' },
    });

    const c = await invite(ann, bo, aspen.id, 12);
    if (!c.ok) throw new Error('invite failed');
    await acceptInvite(db(), { inviteId: c.invite.id, userId: bo.id, now: TEST_NOW });
    expect(await leaveMeeting(db(), { inviteId: c.invite.id, userId: bo.id, now: TEST_NOW })).toMatchObject({
      ok: true,
      invite: { status: 'withdrawn', endedBy: bo.id },
    });
    expect((await listUnseenNotices(db(), ann.id)).map((n) => n.kind)).toEqual(['accepted', 'accepted', 'left']);
    expect((await listUnseenNotices(db(), bo.id)).map((n) => n.kind)).toEqual(['withdrawn', 'cancelled']);
    expect(await db().select().from(commitments)).toHaveLength(0);
  });

  it('expires pending invites once their hour starts, exactly once, telling both', async () => {
    const { ann, bo, aspen } = await world();
    const a = await invite(ann, bo, aspen.id, 10);
    if (!a.ok) throw new Error('invite failed');
    expect(await expireDueInvites(db(), TEST_NOW)).toEqual([]);
    const [first, second] = await Promise.all([expireDueInvites(db(), at(10)), expireDueInvites(db(), at(10))]);
    expect([...first!, ...second!].map((i) => i.status)).toEqual(['expired']);
    expect((await listUnseenNotices(db(), ann.id)).map((n) => n.kind)).toEqual(['expired']);
    expect((await listUnseenNotices(db(), bo.id)).map((n) => n.kind)).toEqual(['expired']);
    expect(await expireDueInvites(db(), at(11))).toEqual([]);
  });

  it('dismisses a notice for its owner only', async () => {
    const { ann, bo, cy, aspen } = await world();
    const a = await invite(ann, bo, aspen.id, 10);
    if (!a.ok) throw new Error('invite failed');
    await rejectInvite(db(), { inviteId: a.invite.id, userId: bo.id, now: TEST_NOW });
    const [notice] = await listUnseenNotices(db(), ann.id);
    expect(await dismissNotice(db(), cy.id, notice!.id, TEST_NOW)).toBe(false);
    expect(await dismissNotice(db(), ann.id, notice!.id, TEST_NOW)).toBe(true);
    expect(await listUnseenNotices(db(), ann.id)).toEqual([]);
  });

  it('lets exactly one of two simultaneous invites into one room and hour win', async () => {
    const { ann, bo, cy, aspen } = await world();
    const dee = await person('dee');
    for (let round = 0; round < 5; round++) {
      const hour = 10 + round;
      const results = await Promise.all([invite(ann, bo, aspen.id, hour), invite(cy, dee, aspen.id, hour)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'taken' });
    }
  });

  it('lets exactly one of two simultaneous acceptances for one person and hour win', async () => {
    const { ann, bo, cy, aspen, birch } = await world();
    for (let round = 0; round < 5; round++) {
      const hour = 10 + round;
      const a = await invite(ann, bo, aspen.id, hour);
      const c = await invite(cy, bo, birch.id, hour);
      if (!a.ok || !c.ok) throw new Error('invite failed');
      const results = await Promise.all([
        acceptInvite(db(), { inviteId: a.invite.id, userId: bo.id, now: TEST_NOW }),
        acceptInvite(db(), { inviteId: c.invite.id, userId: bo.id, now: TEST_NOW }),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const held = await db()
        .select()
        .from(commitments)
        .where(
          and(
            eq(commitments.userId, bo.id),
            sql`${commitments.period} && tstzrange(${at(hour).toISOString()}::timestamptz, ${at(hour + 1).toISOString()}::timestamptz)`,
          ),
        );
      expect(held).toHaveLength(1);
    }
  });

  it('refuses closing an hour, narrowing weekly hours or archiving while an invite holds it', async () => {
    const { ann, bo, aspen } = await world();
    const a = await invite(ann, bo, aspen.id, 10);
    if (!a.ok) throw new Error('invite failed');
    const closeTen = await setHourOverride(db(), aspen.id, { date: DATE, hour: 10, isOpen: false }, TEST_NOW, ZONE);
    expect(closeTen).toMatchObject({
      ok: false,
      reason: 'in-use',
      blockers: [{ label: 'Tue 16 Mar 2027, 10:00–11:00', status: 'pending' }],
    });
    expect(await setHourOverride(db(), aspen.id, { date: DATE, hour: 11, isOpen: false }, TEST_NOW, ZONE)).toEqual({
      ok: true,
    });
    expect(await setWeeklyHours(db(), aspen.id, parseHoursSpec('Mon-Fri 11-17')!, TEST_NOW, ZONE)).toMatchObject({
      ok: false,
      reason: 'in-use',
    });
    expect(await setWeeklyHours(db(), aspen.id, parseHoursSpec('Mon-Fri 10-12')!, TEST_NOW, ZONE)).toEqual({
      ok: true,
    });
    expect(await archiveRoom(db(), aspen.id, TEST_NOW, ZONE)).toMatchObject({ ok: false, reason: 'in-use' });
    await withdrawInvite(db(), { inviteId: a.invite.id, userId: ann.id, now: TEST_NOW });
    expect(await archiveRoom(db(), aspen.id, TEST_NOW, ZONE)).toEqual({ ok: true });
    expect(await invite(ann, bo, aspen.id, 10)).toEqual({ ok: false, reason: 'room-not-found' });
  });

  it('opens a single block on a date outside the weekly hours', async () => {
    const { ann, bo, aspen } = await world();
    expect(await invite(ann, bo, aspen.id, 18)).toEqual({ ok: false, reason: 'closed' });
    await setHourOverride(db(), aspen.id, { date: DATE, hour: 18, isOpen: true }, TEST_NOW, ZONE);
    expect(await invite(ann, bo, aspen.id, 18)).toMatchObject({ ok: true });
  });

  it('builds the grid: states, who, and the hours where both people are free', async () => {
    const { ann, bo, cy, aspen, birch } = await world();
    const a = await invite(ann, bo, aspen.id, 10);
    const c = await invite(cy, ann, birch.id, 11);
    if (!a.ok || !c.ok) throw new Error('invite failed');
    await acceptInvite(db(), { inviteId: c.invite.id, userId: ann.id, now: TEST_NOW });
    const grid = await loadGrid(db(), {
      date: DATE,
      zone: ZONE,
      siteZone: ZONE,
      window: { from: 9, to: 17 },
      now: TEST_NOW,
      pair: { viewerId: ann.id, withUserId: bo.id },
    });
    expect(grid.columns.map((column) => column.hour)).toEqual([9, 10, 11, 12, 13, 14, 15, 16]);
    const aspenRow = grid.rows.find((r) => r.room.name === 'Aspen')!;
    const birchRow = grid.rows.find((r) => r.room.name === 'Birch')!;
    expect(aspenRow.cells.map((cell) => cell.state)).toEqual([
      'open',
      'pending',
      'open',
      'open',
      'open',
      'open',
      'open',
      'open',
    ]);
    expect(birchRow.cells[2]!.state).toBe('booked');
    expect(birchRow.cells[2]!.invite?.inviter.username).toBe('cy');
    // Ann is busy at 10 (pending) and 11 (meeting): no room is "both free" then.
    expect(aspenRow.cells.filter((cell) => cell.bothFree).map((cell) => cell.column.hour)).toEqual([
      9, 12, 13, 14, 15, 16,
    ]);
    expect(birchRow.cells[1]!.bothFree).toBe(false);
    // Hours pass.
    const later = buildGrid({
      date: DATE,
      zone: ZONE,
      siteZone: ZONE,
      window: { from: 9, to: 17 },
      now: at(12),
      rooms: [aspen],
      hours: new Map([[aspen.id, { weekly: parseHoursSpec('Mon-Fri 09-17')!, overrides: [] }]]),
      invites: [],
    });
    expect(later.rows[0]!.cells.map((cell) => cell.state).slice(0, 4)).toEqual(['past', 'past', 'past', 'past']);
    expect(later.rows[0]!.cells[4]!.state).toBe('open');
  });

  it('lists the inbox by box, status and search', async () => {
    const { ann, bo, cy, aspen, birch } = await world();
    await invite(ann, bo, aspen.id, 10);
    const second = await invite(cy, bo, birch.id, 11);
    if (!second.ok) throw new Error('invite failed');
    await rejectInvite(db(), { inviteId: second.invite.id, userId: bo.id, now: TEST_NOW });
    const all = await listInbox(db(), bo.id, { box: 'received', status: 'all', q: '' }, 200);
    expect(all.map((i) => i.inviter.username)).toEqual(['cy', 'ann']);
    expect(
      (await listInbox(db(), bo.id, { box: 'received', status: 'pending', q: '' }, 200)).map((i) => i.inviter.username),
    ).toEqual(['ann']);
    expect(
      (await listInbox(db(), bo.id, { box: 'received', status: 'all', q: 'birch' }, 200)).map((i) => i.room.name),
    ).toEqual(['Birch']);
    expect(
      (await listInbox(db(), bo.id, { box: 'received', status: 'all', q: 'An' }, 200)).map((i) => i.inviter.username),
    ).toEqual(['ann']);
    expect(await listInbox(db(), bo.id, { box: 'received', status: 'all', q: '%' }, 200)).toEqual([]);
    expect(
      (await listInbox(db(), ann.id, { box: 'sent', status: 'all', q: '' }, 200)).map((i) => i.invitee?.username),
    ).toEqual(['bo']);
    // Both boxes together (the default), searched by the other person, never by oneself.
    await invite(bo, ann, birch.id, 12);
    const both = await listInbox(db(), ann.id, { box: 'all', status: 'all', q: '' }, 200);
    expect(both.map((i) => `${i.inviter.username}>${i.invitee?.username}`)).toEqual(['bo>ann', 'ann>bo']);
    expect((await listInbox(db(), ann.id, { box: 'all', status: 'all', q: 'bo' }, 200)).length).toBe(2);
    expect(await listInbox(db(), ann.id, { box: 'all', status: 'all', q: 'ann' }, 200)).toEqual([]);
    expect((await listInbox(db(), ann.id, { box: 'all', status: 'all', q: '' }, 1)).length).toBe(1);
  });

  it('lists a person’s agenda: meetings not yet ended and pending invites not yet started, earliest first', async () => {
    const { ann, bo, cy, aspen, birch } = await world();
    const first = await invite(ann, bo, aspen.id, 14);
    const second = await invite(cy, ann, birch.id, 11);
    const rejected = await invite(cy, ann, aspen.id, 9);
    const unrelated = await invite(bo, cy, birch.id, 15);
    if (!first.ok || !second.ok || !rejected.ok || !unrelated.ok) throw new Error('invite failed');
    await acceptInvite(db(), { inviteId: first.invite.id, userId: bo.id, now: TEST_NOW });
    await rejectInvite(db(), { inviteId: rejected.invite.id, userId: ann.id, now: TEST_NOW });
    const agenda = await listAgenda(db(), ann.id, TEST_NOW, 10);
    expect(agenda.invites.map((i) => [i.room.name, i.status])).toEqual([
      ['Birch', 'pending'],
      ['Aspen', 'accepted'],
    ]);
    expect(agenda.more).toBe(false);
    expect(await listAgenda(db(), ann.id, TEST_NOW, 1)).toMatchObject({ more: true });
    // A meeting under way stays until it ends; a pending invite goes when its hour starts.
    const during = new Date(at(14).getTime() + 10 * 60_000);
    expect((await listAgenda(db(), ann.id, during, 10)).invites.map((i) => i.room.name)).toEqual(['Aspen']);
    expect((await listAgenda(db(), ann.id, new Date(at(15).getTime()), 10)).invites).toEqual([]);
  });
});
