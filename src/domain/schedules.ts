/** Schedules: created by a host, found by their public id or by the admin key. */
import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared.ts';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { schedules, type ScheduleRow } from '../db/schema.ts';
import { lineField, zoneField } from './forms.ts';
import { generateKey, hashKey, looksLikeKey } from './tokens.ts';

export interface Schedule {
  id: string;
  publicId: string;
  title: string;
  hostName: string;
  timeZone: string;
  createdAt: Date;
}

export const ScheduleForm = z.object({
  title: lineField('Title', 120),
  hostName: lineField('Your name', 80),
  timeZone: zoneField(),
});
export type ScheduleInput = z.output<typeof ScheduleForm>;

function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    publicId: row.publicId,
    title: row.title,
    hostName: row.hostName,
    timeZone: row.timeZone,
    createdAt: row.createdAt,
  };
}

/** How a schedule names itself to visitors: its title, else its host, else a plain default. */
export function scheduleHeading(schedule: Pick<Schedule, 'title' | 'hostName'>): string {
  if (schedule.title) return schedule.title;
  if (schedule.hostName) return `Book a time with ${schedule.hostName}`;
  return 'Book a time';
}

/**
 * Creates a schedule with a fresh public id and admin key (160 random bits each). The admin key is
 * returned once, for the host's link; only its hash is stored.
 */
export async function createSchedule(
  db: Database,
  input: ScheduleInput,
): Promise<{ schedule: Schedule; adminKey: string }> {
  const adminKey = generateKey();
  const [row] = await db
    .insert(schedules)
    .values({
      publicId: generateKey(),
      adminKeyHash: hashKey(adminKey),
      title: input.title,
      hostName: input.hostName,
      timeZone: input.timeZone,
    })
    .returning();
  return { schedule: toSchedule(row!), adminKey };
}

/**
 * The schedule an admin key opens, or null (also for anything that is not shaped like a key).
 *
 * Security assumption: the key is never compared as itself. The lookup goes by its SHA-256 digest
 * (a unique index on the digest), so how long a lookup takes depends on the digest of what was
 * sent, which says nothing useful about the stored key: a key wrong in one character has a wholly
 * different digest and finds nothing.
 */
export async function findScheduleByAdminKey(db: Database, adminKey: string): Promise<Schedule | null> {
  if (!looksLikeKey(adminKey)) return null;
  const [row] = await db
    .select()
    .from(schedules)
    .where(eq(schedules.adminKeyHash, hashKey(adminKey)));
  return row ? toSchedule(row) : null;
}

/**
 * Replaces a schedule's admin key: one conditional UPDATE on the hash of the key that was used, so
 * the old key stops opening the dashboard the moment this commits, and of two rotations made with
 * the same key only one can win (the other matches no row: `{ ok: false }`).
 */
export async function replaceAdminKey(
  db: Database,
  scheduleId: string,
  currentKey: string,
): Promise<{ ok: true; adminKey: string } | { ok: false }> {
  if (!looksLikeKey(currentKey)) return { ok: false };
  const adminKey = generateKey();
  const rows = await db
    .update(schedules)
    .set({ adminKeyHash: hashKey(adminKey) })
    .where(and(eq(schedules.id, scheduleId), eq(schedules.adminKeyHash, hashKey(currentKey))))
    .returning({ id: schedules.id });
  return rows.length === 1 ? { ok: true, adminKey } : { ok: false };
}

/** The hash of a schedule's current admin key (live feeds check open dashboards against it). */
export async function adminKeyHashOf(db: Database, scheduleId: string): Promise<string | null> {
  const [row] = await db.select({ hash: schedules.adminKeyHash }).from(schedules).where(eq(schedules.id, scheduleId));
  return row?.hash ?? null;
}

const scheduleByPublicId = prepared((db) =>
  db
    .select()
    .from(schedules)
    .where(eq(schedules.publicId, sql.placeholder('publicId')))
    .prepare('schedule_by_public_id'),
);

/** The schedule a public link names (every scheduling-page request starts here). */
export async function findScheduleByPublicId(db: Database, publicId: string): Promise<Schedule | null> {
  if (!looksLikeKey(publicId)) return null;
  const [row] = await scheduleByPublicId(db).execute({ publicId });
  return row ? toSchedule(row) : null;
}

export async function findScheduleById(db: Database, id: string): Promise<Schedule | null> {
  const [row] = await db.select().from(schedules).where(eq(schedules.id, id));
  return row ? toSchedule(row) : null;
}

/** Changes title, host name and zone. Existing slots keep their instants. */
export async function updateScheduleSettings(
  db: Database,
  scheduleId: string,
  input: ScheduleInput,
): Promise<Schedule> {
  const [row] = await db
    .update(schedules)
    .set({ title: input.title, hostName: input.hostName, timeZone: input.timeZone })
    .where(eq(schedules.id, scheduleId))
    .returning();
  return toSchedule(row!);
}
