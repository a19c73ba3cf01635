/**
 * Sample users and rooms from seeds/ (users.csv, rooms.csv), loaded through the same domain
 * functions as the app. Idempotent: existing usernames and room names are left alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../paths.ts';
import { count } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { parseHoursSpec } from './availability.ts';
import { parseCsv } from './csv.ts';
import { createRoom, RoomForm } from './rooms.ts';
import { RegisterForm, registerUser } from './users.ts';

export const seedsFolder = fromRoot('seeds');

export interface DemoUser {
  username: string;
  password: string;
  displayName: string;
}

export interface SeedReport {
  usersAdded: string[];
  roomsAdded: string[];
  demoUsers: DemoUser[];
}

export function readSeedFiles(folder: string = seedsFolder): {
  users: Record<string, string>[];
  rooms: Record<string, string>[];
} {
  return {
    users: parseCsv(readFileSync(join(folder, 'users.csv'), 'utf8')),
    rooms: parseCsv(readFileSync(join(folder, 'rooms.csv'), 'utf8')),
  };
}

export async function loadSeeds(db: Database, folder: string = seedsFolder): Promise<SeedReport> {
  const files = readSeedFiles(folder);
  const report: SeedReport = { usersAdded: [], roomsAdded: [], demoUsers: [] };
  for (const [line, row] of files.users.entries()) {
    const parsed = RegisterForm.safeParse({
      username: row.username,
      password: row.password,
      displayName: row.display_name,
      timeZone: row.time_zone,
    });
    if (!parsed.success)
      throw new Error(`seeds/users.csv line ${line + 2}: ${parsed.error.issues.map((i) => i.message).join(' ')}`);
    report.demoUsers.push({
      username: parsed.data.username,
      password: parsed.data.password,
      displayName: parsed.data.displayName,
    });
    const result = await registerUser(db, parsed.data);
    if (result.ok) report.usersAdded.push(result.user.username);
  }
  for (const [line, row] of files.rooms.entries()) {
    // An empty or missing time_zone is the site zone.
    const parsed = RoomForm.safeParse({ name: row.name, description: row.description, timeZone: row.time_zone });
    const weekly = parseHoursSpec(row.hours ?? '');
    if (!parsed.success || !weekly)
      throw new Error(
        `seeds/rooms.csv line ${line + 2}: cannot read this room, its hours ("${row.hours}") or its time zone ("${row.time_zone ?? ''}")`,
      );
    const result = await createRoom(db, parsed.data, weekly);
    if (result.ok) report.roomsAdded.push(result.room.name);
  }
  return report;
}

/** Whether nobody has an account yet (a new embedded database). */
export async function hasNoUsers(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}
