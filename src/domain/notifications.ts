/** Pop-up notices a person has not dismissed yet: answers, expiries, cancellations. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { notifications } from '../db/schema.ts';
import { isUuid } from './ids.ts';
import { findInvites, type Invite, listNewestPendingReceived, type NotificationKind } from './invites.ts';

export interface Notice {
  id: string;
  kind: NotificationKind;
  invite: Invite;
  createdAt: Date;
}

/** Undismissed notices of a person, oldest first (at most 50; the rest come as these are dismissed). */
export async function listUnseenNotices(db: Database, userId: string): Promise<Notice[]> {
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.seenAt)))
    .orderBy(asc(notifications.createdAt), asc(notifications.id))
    .limit(50);
  const invites = new Map(
    (await findInvites(db, [...new Set(rows.map((row) => row.inviteId))])).map((invite) => [invite.id, invite]),
  );
  const notices: Notice[] = [];
  for (const row of rows) {
    const invite = invites.get(row.inviteId);
    if (invite) notices.push({ id: row.id, kind: row.kind as NotificationKind, invite, createdAt: row.createdAt });
  }
  return notices;
}

/** Marks a notice seen; only its owner can. */
export async function dismissNotice(db: Database, userId: string, noticeId: string, now: Date): Promise<boolean> {
  if (!isUuid(noticeId)) return false;
  const [row] = await db
    .update(notifications)
    .set({ seenAt: now })
    .where(and(eq(notifications.id, noticeId), eq(notifications.userId, userId), isNull(notifications.seenAt)))
    .returning({ id: notifications.id });
  return Boolean(row);
}

/** What a person's pop-ups show. */
export interface PopupState {
  /** The newest pending invites waiting for their answer, at most the number shown; oldest first. */
  invites: Invite[];
  /** Every pending invite waiting for their answer, shown or not (counted, not read). */
  pendingCount: number;
  /** Notices not yet dismissed. */
  notices: Notice[];
}

/** Everything a person's pop-ups show: the newest `shown` invites waiting for them, and notices. */
export async function loadPopupState(db: Database, userId: string, now: Date, shown: number): Promise<PopupState> {
  const [pending, notices] = await Promise.all([
    listNewestPendingReceived(db, userId, now, shown),
    listUnseenNotices(db, userId),
  ]);
  return { invites: pending.invites, pendingCount: pending.total, notices };
}
