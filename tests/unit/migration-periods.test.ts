/**
 * drizzle/0005 and 0006 on a database that already has invites: commitments take their invite's
 * period, and holds that already overlap (written by instances counting hours in different zones)
 * are settled before the exclusion constraints, meetings and older invites first.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../../src/db/client.ts';
import { migrationsFolder } from '../../src/db/migrate.ts';

const folder = mkdtempSync(join(tmpdir(), 'ipt-migrations-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The migrations up to 0004, as the database had them before this change. */
function migrationsBeforePeriods(): string {
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((entry) => entry.idx <= 4);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

describe('migrating holds to periods', () => {
  it('converts commitments and cancels holds that already overlap, keeping meetings and older invites', async () => {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const handle = await openEmbeddedDatabase();
    try {
      await migrate(handle.db as never, { migrationsFolder: migrationsBeforePeriods() });
      const sql = (text: string) => handle.pglite!.query<Record<string, unknown>>(text);
      await sql(`INSERT INTO users (id, username, display_name, password_hash, time_zone) VALUES
        ('00000000-0000-4000-8000-00000000000a', 'ann', 'Ann', 'x', 'UTC'),
        ('00000000-0000-4000-8000-00000000000b', 'bo', 'Bo', 'x', 'UTC'),
        ('00000000-0000-4000-8000-00000000000c', 'cy', 'Cy', 'x', 'UTC')`);
      await sql(`INSERT INTO rooms (id, name) VALUES
        ('00000000-0000-4000-8000-0000000000a1', 'Aspen'), ('00000000-0000-4000-8000-0000000000b1', 'Birch')`);
      // 1: Ann → Bo, Aspen 10:00–11:00, accepted. 2: Cy → Bo, Aspen 09:30–10:30, pending, older (the
      // room overlaps). 3: Ann → Cy, Birch 09:30–10:30, pending, newer (Ann overlaps her own meeting).
      // 4: Cy → Ann, Birch 12:00–13:00, pending: nothing overlaps it.
      await sql(`INSERT INTO invites (id, room_id, starts_at, ends_at, inviter_id, invitee_id, status, created_at) VALUES
        ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000a1', '2027-03-16T10:00Z', '2027-03-16T11:00Z',
          '00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', 'accepted', '2027-03-01T10:00Z'),
        ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-0000000000a1', '2027-03-16T09:30Z', '2027-03-16T10:30Z',
          '00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000b', 'pending', '2027-03-01T09:00Z'),
        ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-0000000000b1', '2027-03-16T09:30Z', '2027-03-16T10:30Z',
          '00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000c', 'pending', '2027-03-01T11:00Z'),
        ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-0000000000b1', '2027-03-16T12:00Z', '2027-03-16T13:00Z',
          '00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000a', 'pending', '2027-03-01T12:00Z')`);
      // The old keys (room or person, start instant) let all of these be written.

      await migrate(handle.db as never, { migrationsFolder });

      const statuses = await sql('SELECT id, status, reason FROM invites ORDER BY id');
      expect(statuses.rows.map((r) => [String(r.id).slice(-1), r.status, r.reason])).toEqual([
        ['1', 'accepted', null],
        ['2', 'cancelled', 'overlap'],
        ['3', 'cancelled', 'overlap'],
        ['4', 'pending', null],
      ]);
      const held = await sql(
        `SELECT right(invite_id::text, 1) AS invite, username, lower(commitments.period) = i.starts_at AND upper(commitments.period) = i.ends_at AS exact
         FROM commitments JOIN users ON users.id = user_id JOIN invites i ON i.id = invite_id ORDER BY invite, username`,
      );
      expect(held.rows).toEqual([
        { invite: '1', username: 'ann', exact: true },
        { invite: '1', username: 'bo', exact: true },
        { invite: '4', username: 'cy', exact: true },
      ]);
      // And from now on the database refuses overlaps itself.
      await expect(
        sql(`INSERT INTO invites (room_id, starts_at, ends_at, inviter_id, invitee_id) VALUES
          ('00000000-0000-4000-8000-0000000000a1', '2027-03-16T10:15Z', '2027-03-16T11:15Z',
           '00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000b')`),
      ).rejects.toMatchObject({ code: '23P01' });
    } finally {
      await handle.close();
    }
  });
});
