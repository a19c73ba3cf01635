/** Sample users and rooms load from seeds/, and loading them twice changes nothing. */
import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { roomWeeklyHours, rooms, users } from '../../src/db/schema.ts';
import { parseCsv } from '../../src/domain/csv.ts';
import { hasNoUsers, loadSeeds, readSeedFiles } from '../../src/domain/seed.ts';
import { authenticate } from '../../src/domain/users.ts';
import { useTestDatabase } from '../helpers/databases.ts';

describe('seeds', () => {
  const database = useTestDatabase('pglite');

  it('loads every sample user (passwords hashed) and room with its hours', async () => {
    const db = database.current.db;
    expect(await hasNoUsers(db)).toBe(true);
    const files = readSeedFiles();
    const report = await loadSeeds(db);
    expect(report.usersAdded).toHaveLength(files.users.length);
    expect(report.roomsAdded).toHaveLength(files.rooms.length);
    expect(files.users.length).toBeGreaterThanOrEqual(5);
    expect(files.rooms.length).toBeGreaterThanOrEqual(5);
    const stored = await db.select().from(users);
    for (const row of stored) expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    const first = files.users[0]!;
    expect((await authenticate(db, first.username!, first.password!))?.displayName).toBe(first.display_name);
    const aspenHours = await db.select().from(roomWeeklyHours);
    expect(aspenHours.length).toBeGreaterThan(0);
    // The sample rooms are in New York: their hours are New York's whatever the site zone.
    expect((await db.select().from(rooms)).map((room) => room.timeZone)).toEqual(
      files.rooms.map(() => 'America/New_York'),
    );
  });

  it('changes nothing the second time', async () => {
    const db = database.current.db;
    await loadSeeds(db);
    const snapshot = async () => ({
      users: await db.select().from(users).orderBy(asc(users.username)),
      rooms: await db.select().from(rooms).orderBy(asc(rooms.name)),
      hours: (await db.select().from(roomWeeklyHours)).map((h) => `${h.roomId}:${h.weekday}:${h.hour}`).sort(),
    });
    const before = await snapshot();
    const again = await loadSeeds(db);
    expect(again.usersAdded).toEqual([]);
    expect(again.roomsAdded).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('reads quoted CSV fields', () => {
    expect(parseCsv('name,description\r\n"Aspen","Small, with ""screen"""\n\nBirch,Big\n')).toEqual([
      { name: 'Aspen', description: 'Small, with "screen"' },
      { name: 'Birch', description: 'Big' },
    ]);
  });
});
