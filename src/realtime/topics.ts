/**
 * Topics decide who may see what. A schedule's topic reaches its host and its visitors; what each
 * of them is shown is decided per viewer when the feed renders.
 */

const SCHEDULE = 'schedule:';

export const scheduleTopic = (scheduleId: string): string => `${SCHEDULE}${scheduleId}`;

/** The schedule id of a schedule topic, or null for other topics. */
export function scheduleIdOfTopic(topic: string): string | null {
  return topic.startsWith(SCHEDULE) ? topic.slice(SCHEDULE.length) : null;
}

/** Events on a schedule topic. */
export const scheduleEvents = {
  /** Bookings changed on these slots (claim, release, move). */
  slotsBooked: (slotIds: string[]) => ({ type: 'slots-booked', ids: slotIds }),
  /** These slots were added: their days are re-sent. */
  slotsAdded: (slotIds: string[]) => ({ type: 'slots-added', ids: slotIds }),
  /** These slots were deleted (with when they started, to find their days). */
  slotsDeleted: (deleted: readonly { id: string; startsAt: Date }[]) => ({
    type: 'slots-deleted',
    ids: deleted.map((s) => s.id),
    at: deleted.map((s) => s.startsAt.getTime()),
  }),
  /** Title, host name or zone changed. */
  scheduleChanged: () => ({ type: 'schedule-changed' }),
  /**
   * The admin key was replaced. Like every event it carries no key and no hash: each instance reads
   * the current hash and closes its own dashboards that were opened with another key.
   */
  adminKeyReplaced: () => ({ type: 'admin-key-replaced' }),
} as const;

const USER = 'user:';
const GRID = 'grid:';

/** A person's own topic: their pop-ups, pending count and inbox. Only their sockets subscribe. */
export const userTopic = (userId: string): string => `${USER}${userId}`;

/**
 * A UTC date's grid: a hold is announced on the topic of every UTC date its period touches, and a
 * grid page subscribes to the UTC dates its hours cover (a local day touches at most two).
 */
export const gridTopic = (utcDate: string): string => `${GRID}${utcDate}`;

/** A changed hold as a grid event names it: the room and the period, ids and instants only. */
export const cellChangeKey = (roomId: string, period: { startsAt: Date; endsAt: Date }): string =>
  `${roomId}@${period.startsAt.getTime()}-${period.endsAt.getTime()}`;

export function parseCellChangeKey(key: string): { roomId: string; startsAt: Date; endsAt: Date } | null {
  const match = /^([0-9a-f-]{36})@(\d{1,15})-(\d{1,15})$/.exec(key);
  if (!match) return null;
  return { roomId: match[1]!, startsAt: new Date(Number(match[2])), endsAt: new Date(Number(match[3])) };
}

export function userIdOfTopic(topic: string): string | null {
  return topic.startsWith(USER) ? topic.slice(USER.length) : null;
}

export function gridDateOfTopic(topic: string): string | null {
  return topic.startsWith(GRID) ? topic.slice(GRID.length) : null;
}

/** Rooms or their hours changed: every open grid, whatever its date, is told. */
export const ROOMS_TOPIC = 'rooms';

export const accountEvents = {
  /** These invites changed (created, answered, ended): pop-ups and counts are re-sent. */
  invitesChanged: (inviteIds: string[]) => ({ type: 'invites', ids: inviteIds }),
  /** Holds of these rooms and periods (`cellChangeKey`) changed on a UTC date's grid. */
  cellsChanged: (cellKeys: string[]) => ({ type: 'cells', ids: cellKeys }),
  /** A room was added or archived: open grids are re-sent whole. */
  roomsChanged: () => ({ type: 'rooms' }),
  /** This room's name or hours changed: open grids are sent its row only. */
  roomChanged: (roomId: string) => ({ type: 'room', ids: [roomId] }),
  /**
   * Some of this person's sessions ended (logout, password change): each instance closes its pages
   * whose session is gone. Names no session: the topic says whose.
   */
  sessionsEnded: () => ({ type: 'sessions-ended' }),
} as const;
