/**
 * Every table. Columns are camelCase here and snake_case in SQL (`casing: 'snake_case'`).
 * Constraints drizzle-kit cannot express (the slot overlap exclusion) live in custom migrations
 * in drizzle/.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const instant = () => timestamp({ withTimezone: true, mode: 'date' });

/**
 * A period of time, `[start, end)`, as PostgreSQL's tstzrange. Read back as PostgreSQL writes it
 * (`["2027-03-16 14:00:00+00","2027-03-16 15:00:00+00")`); the app queries with it, it does not
 * parse it.
 */
const tstzrange = customType<{ data: string; driverData: string }>({ dataType: () => 'tstzrange' });

/** A host's schedule: reached publicly by `publicId`, administered by whoever holds the admin key. */
export const schedules = pgTable('schedules', {
  id: uuid().primaryKey().defaultRandom(),
  publicId: text().notNull().unique(),
  /** SHA-256 of the admin key: the key itself is only ever in the host's link. */
  adminKeyHash: text().notNull().unique(),
  title: text().notNull().default(''),
  hostName: text().notNull().default(''),
  timeZone: text().notNull(),
  createdAt: instant().notNull().defaultNow(),
});

/**
 * A slot, and its booking when it has one: the booking lives on the row so that a claim is one
 * conditional UPDATE and two people can never hold the same slot.
 */
export const slots = pgTable(
  'slots',
  {
    id: uuid().primaryKey().defaultRandom(),
    scheduleId: uuid()
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    startsAt: instant().notNull(),
    endsAt: instant().notNull(),
    notes: text().notNull().default(''),
    /** Stable across moves: calendar files use it as their UID. */
    bookingId: uuid(),
    bookedAt: instant(),
    bookerName: text(),
    bookerEmail: text(),
    /**
     * SHA-256 of the visitor cookie whose current pick this booking is. Cleared once the slot has
     * ended (the booking stays), so that visitor can book again.
     */
    visitorHash: text(),
    /** SHA-256 of the booking's private manage key. */
    manageKeyHash: text(),
    /** Bumped on every move so calendar apps replace the old event (iCalendar SEQUENCE). */
    bookingSequence: integer().notNull().default(0),
    createdAt: instant().notNull().defaultNow(),
  },
  (t) => [
    index('slots_schedule_starts_idx').on(t.scheduleId, t.startsAt),
    uniqueIndex('slots_booking_id_key').on(t.bookingId),
    uniqueIndex('slots_manage_key_hash_key').on(t.manageKeyHash),
    // One current booking per visitor per schedule.
    uniqueIndex('slots_one_booking_per_visitor').on(t.scheduleId, t.visitorHash).where(sql`visitor_hash IS NOT NULL`),
    check('slots_end_after_start', sql`ends_at > starts_at`),
    check(
      'slots_booking_whole',
      sql`(booking_id IS NULL) = (booked_at IS NULL)
        AND (booking_id IS NULL) = (booker_name IS NULL)
        AND (booking_id IS NULL) = (manage_key_hash IS NULL)
        AND (booking_id IS NOT NULL OR (booker_email IS NULL AND visitor_hash IS NULL))`,
    ),
  ],
);

export type ScheduleRow = typeof schedules.$inferSelect;
export type SlotRow = typeof slots.$inferSelect;

/** A person with an account (rooms and invites). Usernames are stored lower-case. */
export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  username: text().notNull().unique(),
  displayName: text().notNull(),
  /** argon2id PHC string. */
  passwordHash: text().notNull(),
  timeZone: text().notNull(),
  createdAt: instant().notNull().defaultNow(),
});

/** Sessions as in Lucia's guide: the id is the SHA-256 of the cookie's token, never the token. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: instant().notNull(),
    createdAt: instant().notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** A meeting room. Archived rooms keep their history but take no new invites. */
export const rooms = pgTable(
  'rooms',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text().notNull().default(''),
    /** Where the room is (an IANA id); its hours are that zone's wall-clock hours. Null: the site zone. */
    timeZone: text(),
    archivedAt: instant(),
    createdAt: instant().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rooms_name_active_key').on(sql`lower(${t.name})`).where(sql`archived_at IS NULL`)],
);

/**
 * Weekly open hours: one row per open wall-clock hour (weekday 1 = Monday … 7 = Sunday) in the
 * room's zone (src/domain/availability.ts turns them into real hours).
 */
export const roomWeeklyHours = pgTable(
  'room_weekly_hours',
  {
    roomId: uuid()
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    weekday: smallint().notNull(),
    hour: smallint().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roomId, t.weekday, t.hour] }),
    check('room_weekly_hours_weekday', sql`weekday BETWEEN 1 AND 7`),
    check('room_weekly_hours_hour', sql`hour BETWEEN 0 AND 23`),
  ],
);

/** A single wall-clock hour (room's zone) opened or closed on one date, overriding the weekly hours. */
export const roomHourOverrides = pgTable(
  'room_hour_overrides',
  {
    roomId: uuid()
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    onDate: date({ mode: 'string' }).notNull(),
    hour: smallint().notNull(),
    isOpen: boolean().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roomId, t.onDate, t.hour] }),
    check('room_hour_overrides_hour', sql`hour BETWEEN 0 AND 23`),
  ],
);

export const INVITE_STATUSES = ['pending', 'accepted', 'rejected', 'expired', 'withdrawn', 'cancelled'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/**
 * An invite into a room for one hour; once accepted it is the meeting. Without an invitee it is a
 * room booked for the organizer alone, accepted at once. Pending and accepted invites hold their
 * room for their `period` (an exclusion constraint over overlapping periods, drizzle/0006);
 * people's periods are held in `commitments`, kept by a trigger, so nobody is in two places at once.
 */
export const invites = pgTable(
  'invites',
  {
    id: uuid().primaryKey().defaultRandom(),
    roomId: uuid()
      .notNull()
      .references(() => rooms.id),
    startsAt: instant().notNull(),
    endsAt: instant().notNull(),
    inviterId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Null: booked for the organizer alone. */
    inviteeId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    /** `[starts_at, ends_at)`, kept by the database; what the room-overlap exclusion compares. */
    period: tstzrange().generatedAlwaysAs(sql`tstzrange(starts_at, ends_at)`),
    note: text().notNull().default(''),
    status: text({ enum: INVITE_STATUSES }).notNull().default('pending'),
    /** Why it ended, when that is not obvious from the status ("accepted-other"). */
    reason: text(),
    /** Who ended it (withdrew, cancelled). */
    endedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: instant().notNull().defaultNow(),
    updatedAt: instant().notNull().defaultNow(),
  },
  (t) => [
    index('invites_invitee_idx').on(t.inviteeId, t.startsAt),
    index('invites_inviter_idx').on(t.inviterId, t.startsAt),
    index('invites_pending_starts_idx').on(t.startsAt).where(sql`status = 'pending'`),
    check('invites_two_people', sql`invitee_id IS NULL OR inviter_id <> invitee_id`),
    check('invites_status', sql`status IN ('pending', 'accepted', 'rejected', 'expired', 'withdrawn', 'cancelled')`),
    check('invites_one_hour', sql`ends_at > starts_at`),
  ],
);

/**
 * Who is busy when: one row per person and invite, with the invite's period. An exclusion
 * constraint (drizzle/0006, `commitments_no_overlap`) refuses two overlapping periods for one
 * person, so a person can never be in two meetings.
 */
export const commitments = pgTable(
  'commitments',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    period: tstzrange().notNull(),
    inviteId: uuid()
      .notNull()
      .references(() => invites.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ name: 'commitments_pkey', columns: [t.inviteId, t.userId] })],
);

/** Something a person should be told in a pop-up (an answer, a cancellation), until they dismiss it. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    inviteId: uuid()
      .notNull()
      .references(() => invites.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    createdAt: instant().notNull().defaultNow(),
    seenAt: instant(),
  },
  (t) => [index('notifications_unseen_idx').on(t.userId).where(sql`seen_at IS NULL`)],
);

/**
 * Counters for the login and registration limits, shared by every instance. One row per key (a
 * kind and a SHA-256 of the account, address or both: people type passwords into the username
 * field, so no key holds what was typed). An attempt is counted by one atomic upsert before the
 * password is verified (src/auth/attempt-limits.ts); rows past `expiresAt` are deleted hourly.
 */
export const attemptLimits = pgTable(
  'attempt_limits',
  {
    key: text().primaryKey(),
    /** Attempts counted since the count last started. */
    attempts: integer().notNull(),
    /** No attempt is counted (or verified) before this instant: the escalating wait. */
    blockedUntil: instant(),
    /** The count is forgotten at this instant (the row is then reset or deleted). */
    expiresAt: instant().notNull(),
  },
  (t) => [index('attempt_limits_expires_idx').on(t.expiresAt), check('attempt_limits_attempts', sql`attempts >= 0`)],
);

export type UserRow = typeof users.$inferSelect;
export type RoomRow = typeof rooms.$inferSelect;
export type InviteRow = typeof invites.$inferSelect;
