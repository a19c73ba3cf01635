/** Pop-up notices a person has not dismissed yet: answers, expiries, cancellations. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { notifications } from '../db/schema.ts';
import { isUuid } from './ids.ts';
import { findInvite, type Invite, listPendingReceived, type NotificationKind } from './invites.ts';

export interface Notice {
  id: string;
  kind: NotificationKind;
  invite: Invite;
  createdAt: Date;
}

/** Undismissed notices of a person, oldest first. */
export async function listUnseenNotices(db: Database, userId: string): Promise<Notice[]> {
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.seenAt)))
    .orderBy(asc(notifications.createdAt))
    .limit(50);
  const notices: Notice[] = [];
  for (const row of rows) {
    const invite = await findInvite(db, row.inviteId);
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

/** Everything a person's pop-ups show: invites waiting for them, and notices not yet dismissed. */
export async function loadPopupState(db: Database, userId: string, now: Date): Promise<{ invites: Invite[]; notices: Notice[] }> {
  const [invites, notices] = await Promise.all([listPendingReceived(db, userId, now), listUnseenNotices(db, userId)]);
  return { invites, notices };
}
