/**
 * Invites and meetings. Each step is one conditional UPDATE (or INSERT) that the database decides:
 * an exclusion constraint over the periods of a room's pending and accepted invites, and another
 * over each person's commitments (kept by a trigger), make double-booking a room or a person
 * impossible whatever runs at the same moment, in whatever zone its hours were counted. What the other person must be told is written as
 * notifications in the same transaction.
 */
import { and, asc, count, desc, eq, gt, ilike, inArray, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Database, Tx } from '../db/client.ts';
import { isExclusionViolation } from '../db/errors.ts';
import { commitments, INVITE_STATUSES, invites, type InviteStatus, notifications, rooms, users } from '../db/schema.ts';
import { textField } from './forms.ts';
import { isUuid } from './ids.ts';
import { cleanLine } from './text.ts';
import { isRoomBlockOpen } from './room-blocks.ts';
import { isRoomId, lockActiveRoom } from './rooms.ts';
import { isWorkableInstant } from './time.ts';
import { toUser, type User } from './users.ts';

export interface Invite {
  id: string;
  room: { id: string; name: string };
  startsAt: Date;
  endsAt: Date;
  inviter: User;
  /** Null: a room the organizer booked for themselves. */
  invitee: User | null;
  note: string;
  status: InviteStatus;
  reason: string | null;
  endedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a person is told in a pop-up. */
export type NotificationKind =
  | 'accepted' // to the inviter
  | 'rejected' // to the inviter
  | 'declined-other' // to the inviter: the invitee accepted another meeting then
  | 'expired' // to both
  | 'withdrawn' // to the invitee: the inviter withdrew
  | 'cancelled' // to the attendee: the organizer cancelled
  | 'left'; // to the organizer: the attendee withdrew

export const InviteForm = z.object({
  room: z.string({ error: 'Choose a room.' }).optional().default(''),
  start: z.string({ error: 'Choose an hour.' }).optional().default(''),
  invitee: z
    .string({ error: 'Choose who to invite.' })
    .optional()
    .default('')
    .refine((v) => v.length > 0, 'Choose who to invite.'),
  note: textField('Note', 500),
});
export type InviteInput = z.output<typeof InviteForm>;

/** "Book for myself": the cell's room and start, nothing else. */
export const BookForm = z.object({
  room: z.string({ error: 'Choose a room.' }).optional().default(''),
  start: z.string({ error: 'Choose an hour.' }).optional().default(''),
});

const inviter = alias(users, 'inviter');
const invitee = alias(users, 'invitee');

function selectInvites(db: Database | Tx) {
  return db
    .select({ invite: invites, room: { id: rooms.id, name: rooms.name }, inviter, invitee })
    .from(invites)
    .innerJoin(rooms, eq(rooms.id, invites.roomId))
    .innerJoin(inviter, eq(inviter.id, invites.inviterId))
    .leftJoin(invitee, eq(invitee.id, invites.inviteeId));
}

type InviteJoinRow = Awaited<ReturnType<ReturnType<typeof selectInvites>['execute']>>[number];

function toInvite(row: InviteJoinRow): Invite {
  const i = row.invite;
  return {
    id: i.id,
    room: row.room,
    startsAt: i.startsAt,
    endsAt: i.endsAt,
    inviter: toUser(row.inviter),
    invitee: row.invitee ? toUser(row.invitee) : null,
    note: i.note,
    status: i.status,
    reason: i.reason,
    endedBy: i.endedBy,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export const isInviteId = isUuid;

export async function findInvite(db: Database | Tx, id: string): Promise<Invite | null> {
  if (!isInviteId(id)) return null;
  const [row] = await selectInvites(db).where(eq(invites.id, id));
  return row ? toInvite(row) : null;
}

/** Several invites by id, earliest hour first (ids that do not exist are left out). */
export async function findInvites(db: Database | Tx, ids: readonly string[]): Promise<Invite[]> {
  if (ids.length === 0) return [];
  return (
    await selectInvites(db)
      .where(inArray(invites.id, [...ids]))
      .orderBy(asc(invites.startsAt))
  ).map(toInvite);
}

async function notify(tx: Tx, userId: string, inviteId: string, kind: NotificationKind): Promise<void> {
  await tx.insert(notifications).values({ userId, inviteId, kind });
}

export type CreateInviteResult =
  | { ok: true; invite: Invite }
  | {
      ok: false;
      reason:
        | 'room-not-found'
        | 'not-an-hour'
        | 'past'
        | 'closed'
        | 'taken'
        | 'you-busy'
        | 'invitee-busy'
        | 'invitee-not-found'
        | 'self';
    }
  /** The inviter has sent `maxPerHour` invites in the past hour; one more is allowed in `retryAfterSeconds`. */
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

const HOUR_MS = 3_600_000;
const QUARTER_HOUR_MS = 900_000;

/**
 * When the person may send another invite, if they have sent `limit` in the hour before `now`:
 * the `limit`-th newest of them leaving the hour frees one. Null when they may send now.
 */
async function nextInviteAllowedAt(tx: Tx, inviterId: string, limit: number, now: Date): Promise<Date | null> {
  const since = new Date(now.getTime() - HOUR_MS);
  const [row] = await tx
    .select({ createdAt: invites.createdAt })
    .from(invites)
    // An invite's hour starts after it is sent, so `starts_at > since` holds for every invite sent
    // since then; it lets the (inviter, starts_at) index skip the person's past invites.
    .where(and(eq(invites.inviterId, inviterId), gt(invites.startsAt, since), gt(invites.createdAt, since)))
    .orderBy(desc(invites.createdAt))
    .offset(limit - 1)
    .limit(1);
  return row ? new Date(row.createdAt.getTime() + HOUR_MS) : null;
}

/** `[startsAt, endsAt)` as PostgreSQL's tstzrange, to compare with `&&`. */
const periodOf = (startsAt: Date, endsAt: Date) =>
  sql`tstzrange(${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz)`;

interface HoldArgs {
  inviterId: string;
  roomId: string;
  startsAt: Date;
  /** Null: the organizer books the room for themselves (accepted at once). */
  inviteeId: string | null;
  note: string;
  now: Date;
  /** The site zone: a room without a zone of its own counts its hours in it. */
  zone: string;
  maxPerHour?: number;
}

/**
 * Holds a room for one of its open blocks. With `maxPerHour`, first under the organizer's own row
 * lock (one send at a time per person, so parallel sends cannot all see room for one more): at most
 * that many invites sent in the past hour, whatever became of them. Then under the room's lock (so
 * nobody closes the hour meanwhile): the period must be one of the room's open blocks (its hours in
 * its zone), not started. Then the INSERT decides: the room's exclusion constraint refuses a
 * period overlapping another hold; the trigger's commitment refuses an organizer busy then.
 */
async function holdRoom(db: Database, args: HoldArgs): Promise<CreateInviteResult> {
  const { inviterId, roomId, startsAt, inviteeId, note, now, zone, maxPerHour } = args;
  if (inviteeId === inviterId) return { ok: false, reason: 'self' };
  if (!isRoomId(roomId)) return { ok: false, reason: 'room-not-found' };
  if (inviteeId !== null && !isUuid(inviteeId)) return { ok: false, reason: 'invitee-not-found' };
  // Every zone's offset is a whole number of quarter hours, and so is every block's start.
  if (!isWorkableInstant(startsAt) || startsAt.getTime() % QUARTER_HOUR_MS !== 0)
    return { ok: false, reason: 'not-an-hour' };
  if (startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'past' };
  const endsAt = new Date(startsAt.getTime() + HOUR_MS);
  try {
    const created = await db.transaction(async (tx) => {
      if (maxPerHour !== undefined) {
        // NO KEY UPDATE, as in acceptInvite: it queues this person's own sends and decisions but not
        // the foreign-key checks of invites others send them (FOR UPDATE would, and two people
        // inviting each other at once would deadlock).
        await tx.select({ id: users.id }).from(users).where(eq(users.id, inviterId)).for('no key update');
        const allowedAt = await nextInviteAllowedAt(tx, inviterId, maxPerHour, now);
        if (allowedAt) {
          const retryAfterSeconds = Math.max(1, Math.ceil((allowedAt.getTime() - now.getTime()) / 1000));
          return { ok: false as const, reason: 'rate-limited' as const, retryAfterSeconds };
        }
      }
      const room = await lockActiveRoom(tx, roomId);
      if (!room) return { ok: false as const, reason: 'room-not-found' as const };
      if (!(await isRoomBlockOpen(tx, { room, startsAt, endsAt, siteZone: zone })))
        return { ok: false as const, reason: 'closed' as const };
      // Under the room's lock a second hold shows here first; the exclusion constraint stays the guarantee.
      const [held] = await tx
        .select({ id: invites.id })
        .from(invites)
        .where(
          and(
            eq(invites.roomId, roomId),
            inArray(invites.status, ['pending', 'accepted']),
            sql`${invites.period} && ${periodOf(startsAt, endsAt)}`,
          ),
        )
        .limit(1);
      if (held) return { ok: false as const, reason: 'taken' as const };
      if (inviteeId !== null) {
        const [person] = await tx.select({ id: users.id }).from(users).where(eq(users.id, inviteeId));
        if (!person) return { ok: false as const, reason: 'invitee-not-found' as const };
        // A courtesy check for a clear message: the invitee's accepted meetings and own proposals.
        // Acceptance is what the database guards; this only spares an invite that could not be taken.
        const [busy] = await tx
          .select({ inviteId: commitments.inviteId })
          .from(commitments)
          .where(and(eq(commitments.userId, inviteeId), sql`${commitments.period} && ${periodOf(startsAt, endsAt)}`))
          .limit(1);
        if (busy) return { ok: false as const, reason: 'invitee-busy' as const };
      }
      const [row] = await tx
        .insert(invites)
        // Sent "now" by the app's clock, like every other instant here: the hourly limit counts by it.
        .values({
          roomId,
          startsAt,
          endsAt,
          inviterId,
          inviteeId,
          note,
          status: inviteeId === null ? 'accepted' : 'pending',
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: invites.id });
      return { ok: true as const, id: row!.id };
    });
    if (!created.ok) return created;
    return { ok: true, invite: (await findInvite(db, created.id))! };
  } catch (error) {
    if (isExclusionViolation(error, 'invites_room_no_overlap')) return { ok: false, reason: 'taken' };
    if (isExclusionViolation(error, 'commitments_no_overlap')) return { ok: false, reason: 'you-busy' };
    throw error;
  }
}

/** Invites a person into a room for one of its open blocks (see holdRoom for what decides it). */
export function createInvite(db: Database, args: HoldArgs & { inviteeId: string }): Promise<CreateInviteResult> {
  return holdRoom(db, args);
}

export type BookResult = Exclude<
  CreateInviteResult,
  { ok: false; reason: 'invitee-busy' | 'invitee-not-found' | 'self' }
>;

/**
 * Books a room for the organizer alone: a meeting without an invitee, accepted at once, holding the
 * room and the organizer's period like any meeting (and cancelled like one).
 */
export async function bookRoomForMyself(
  db: Database,
  args: Omit<HoldArgs, 'inviteeId' | 'inviterId'> & { userId: string },
): Promise<BookResult> {
  const { userId, ...rest } = args;
  return (await holdRoom(db, { ...rest, inviterId: userId, inviteeId: null })) as BookResult;
}

export type DecisionRefusal = {
  ok: false;
  reason: 'not-found' | 'not-pending' | 'started' | 'busy' | 'not-accepted';
  invite?: Invite;
};

export type AcceptResult = { ok: true; invite: Invite; declined: Invite[] } | DecisionRefusal;

/** Why a conditional update on an invite matched nothing. */
async function explain(
  db: Database,
  inviteId: string,
  userId: string,
  now: Date,
  expected: InviteStatus,
): Promise<DecisionRefusal> {
  const invite = await findInvite(db, inviteId);
  if (!invite || (invite.inviter.id !== userId && invite.invitee?.id !== userId))
    return { ok: false, reason: 'not-found' };
  if (invite.status !== expected)
    return { ok: false, reason: expected === 'pending' ? 'not-pending' : 'not-accepted', invite };
  if (invite.startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'started', invite };
  return { ok: false, reason: 'not-found' };
}

/**
 * The invitee accepts: one conditional UPDATE (still pending, hour not started, theirs). The trigger
 * then commits their period, and the commitments' exclusion constraint refuses it if they are busy
 * then. Their other pending invites that overlap it are declined in the same transaction (the
 * database compares the periods), and every inviter is told.
 */
export async function acceptInvite(
  db: Database,
  args: { inviteId: string; userId: string; now: Date },
): Promise<AcceptResult> {
  const { inviteId, userId, now } = args;
  if (!isInviteId(inviteId)) return { ok: false, reason: 'not-found' };
  try {
    const decided = await db.transaction(async (tx) => {
      // One decision per person at a time: two acceptances for the same hour would otherwise each
      // wait on the other's commitment and deadlock. NO KEY UPDATE leaves foreign keys unblocked.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
      const [accepted] = await tx
        .update(invites)
        .set({ status: 'accepted', updatedAt: now })
        .where(
          and(
            eq(invites.id, inviteId),
            eq(invites.inviteeId, userId),
            eq(invites.status, 'pending'),
            gt(invites.startsAt, now),
          ),
        )
        .returning();
      if (!accepted) return null;
      const declined = await tx
        .update(invites)
        .set({ status: 'rejected', reason: 'accepted-other', updatedAt: now })
        .where(
          and(
            eq(invites.inviteeId, userId),
            sql`${invites.period} && ${periodOf(accepted.startsAt, accepted.endsAt)}`,
            eq(invites.status, 'pending'),
            ne(invites.id, inviteId),
          ),
        )
        .returning();
      await notify(tx, accepted.inviterId, accepted.id, 'accepted');
      for (const other of declined) await notify(tx, other.inviterId, other.id, 'declined-other');
      return { id: accepted.id, declined: declined.map((d) => d.id) };
    });
    if (!decided) return explain(db, inviteId, userId, now, 'pending');
    return { ok: true, invite: (await findInvite(db, decided.id))!, declined: await findInvites(db, decided.declined) };
  } catch (error) {
    if (isExclusionViolation(error, 'commitments_no_overlap'))
      return { ok: false, reason: 'busy', invite: (await findInvite(db, inviteId)) ?? undefined };
    throw error;
  }
}

export type ChangeResult = { ok: true; invite: Invite } | DecisionRefusal;

/** One conditional status change, with a notification for the other person. */
async function transition(
  db: Database,
  args: {
    inviteId: string;
    now: Date;
    userId: string;
    role: 'inviter' | 'invitee';
    from: 'pending' | 'accepted';
    to: InviteStatus;
    notifyKind: NotificationKind;
  },
): Promise<ChangeResult> {
  const { inviteId, now, userId, role, from, to, notifyKind } = args;
  if (!isInviteId(inviteId)) return { ok: false, reason: 'not-found' };
  const who = role === 'inviter' ? invites.inviterId : invites.inviteeId;
  const changed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invites)
      .set({ status: to, endedBy: to === 'rejected' ? null : userId, updatedAt: now })
      .where(and(eq(invites.id, inviteId), eq(who, userId), eq(invites.status, from), gt(invites.startsAt, now)))
      .returning();
    if (!row) return null;
    // A room booked for oneself has nobody else to tell.
    const other = role === 'inviter' ? row.inviteeId : row.inviterId;
    if (other) await notify(tx, other, row.id, notifyKind);
    return row.id;
  });
  if (!changed) return explain(db, inviteId, userId, now, from);
  return { ok: true, invite: (await findInvite(db, changed))! };
}

/** The invitee says no: the hold is freed and the inviter told. */
export function rejectInvite(
  db: Database,
  args: { inviteId: string; userId: string; now: Date },
): Promise<ChangeResult> {
  return transition(db, { ...args, role: 'invitee', from: 'pending', to: 'rejected', notifyKind: 'rejected' });
}

/** The inviter takes a pending invite back before its hour. */
export function withdrawInvite(
  db: Database,
  args: { inviteId: string; userId: string; now: Date },
): Promise<ChangeResult> {
  return transition(db, { ...args, role: 'inviter', from: 'pending', to: 'withdrawn', notifyKind: 'withdrawn' });
}

/** The organizer cancels a meeting; the room frees up. */
export function cancelMeeting(
  db: Database,
  args: { inviteId: string; userId: string; now: Date },
): Promise<ChangeResult> {
  return transition(db, { ...args, role: 'inviter', from: 'accepted', to: 'cancelled', notifyKind: 'cancelled' });
}

/** The attendee withdraws from a meeting; the room frees up. */
export function leaveMeeting(
  db: Database,
  args: { inviteId: string; userId: string; now: Date },
): Promise<ChangeResult> {
  return transition(db, { ...args, role: 'invitee', from: 'accepted', to: 'withdrawn', notifyKind: 'left' });
}

/**
 * Pending invites whose hour has started expire. One conditional UPDATE: when several instances
 * run this at once, each invite expires (and is announced) exactly once.
 */
export async function expireDueInvites(db: Database, now: Date): Promise<Invite[]> {
  const ids = await db.transaction(async (tx) => {
    const rows = await tx
      .update(invites)
      .set({ status: 'expired', updatedAt: now })
      .where(and(eq(invites.status, 'pending'), lte(invites.startsAt, now)))
      .returning({ id: invites.id, inviterId: invites.inviterId, inviteeId: invites.inviteeId });
    for (const row of rows) {
      await notify(tx, row.inviterId, row.id, 'expired');
      if (row.inviteeId) await notify(tx, row.inviteeId, row.id, 'expired');
    }
    return rows.map((r) => r.id);
  });
  return findInvites(db, ids);
}

const pendingReceived = (userId: string, now: Date) =>
  and(eq(invites.inviteeId, userId), eq(invites.status, 'pending'), gt(invites.startsAt, now));

/** Pending invites a person has received whose hour has not started, earliest hour first. */
export async function listPendingReceived(db: Database, userId: string, now: Date): Promise<Invite[]> {
  return (await selectInvites(db).where(pendingReceived(userId, now)).orderBy(asc(invites.startsAt))).map(toInvite);
}

/**
 * A person's pop-ups: the newest `limit` pending invites they have received (only those rows are
 * read), oldest of them first (the order they pop up in), and how many are pending in all.
 */
export async function listNewestPendingReceived(
  db: Database,
  userId: string,
  now: Date,
  limit: number,
): Promise<{ invites: Invite[]; total: number }> {
  const [rows, [counted]] = await Promise.all([
    selectInvites(db)
      .where(pendingReceived(userId, now))
      .orderBy(desc(invites.createdAt), desc(invites.startsAt), desc(invites.id))
      .limit(limit),
    db.select({ n: count() }).from(invites).where(pendingReceived(userId, now)),
  ]);
  return { invites: rows.map(toInvite).reverse(), total: counted?.n ?? 0 };
}

export const InboxQuery = z.object({
  box: z.enum(['all', 'received', 'sent']).catch('all'),
  status: z.enum(['all', ...INVITE_STATUSES]).catch('all'),
  q: z
    .string()
    .catch('')
    .transform((v) => [...cleanLine(v)].slice(0, 80).join('')),
});
export type InboxFilter = z.output<typeof InboxQuery>;

/**
 * The inbox: invites received, sent or both, newest hour first, by status and a search on person or
 * room. At most `limit` rows are read.
 */
export async function listInbox(db: Database, userId: string, filter: InboxFilter, limit: number): Promise<Invite[]> {
  const mine = {
    received: eq(invites.inviteeId, userId),
    sent: eq(invites.inviterId, userId),
    all: or(eq(invites.inviteeId, userId), eq(invites.inviterId, userId))!,
  };
  const conditions: SQL[] = [mine[filter.box]];
  if (filter.status !== 'all') conditions.push(eq(invites.status, filter.status));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // The other person: whoever of the two is not the reader.
    const named = (p: typeof inviter | typeof invitee) => or(ilike(p.displayName, pattern), ilike(p.username, pattern));
    conditions.push(
      or(
        ilike(rooms.name, pattern),
        and(eq(invites.inviteeId, userId), named(inviter)),
        and(eq(invites.inviterId, userId), named(invitee)),
      )!,
    );
  }
  const rows = await selectInvites(db)
    .where(and(...conditions))
    .orderBy(desc(invites.startsAt), desc(invites.createdAt))
    .limit(limit);
  return rows.map(toInvite);
}

/**
 * A person's agenda: their meetings that have not ended and the pending invites they received or
 * sent whose hour has not started, earliest first; at most `limit` (and whether there are more).
 */
export async function listAgenda(
  db: Database,
  userId: string,
  now: Date,
  limit: number,
): Promise<{ invites: Invite[]; more: boolean }> {
  const rows = await selectInvites(db)
    .where(
      and(
        or(eq(invites.inviteeId, userId), eq(invites.inviterId, userId)),
        or(
          and(eq(invites.status, 'accepted'), gt(invites.endsAt, now)),
          and(eq(invites.status, 'pending'), gt(invites.startsAt, now)),
        ),
      ),
    )
    .orderBy(asc(invites.startsAt), asc(invites.id))
    .limit(limit + 1);
  return { invites: rows.slice(0, limit).map(toInvite), more: rows.length > limit };
}

/** Pending invites and meetings holding hours within a time range (the grid). */
export async function listActiveInvitesBetween(db: Database, from: Date, to: Date): Promise<Invite[]> {
  return (
    await selectInvites(db)
      .where(and(inArray(invites.status, ['pending', 'accepted']), gt(invites.endsAt, from), lt(invites.startsAt, to)))
      .orderBy(asc(invites.startsAt))
  ).map(toInvite);
}
