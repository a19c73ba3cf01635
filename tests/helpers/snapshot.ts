/**
 * Every row of every table of the app's schema, as one comparable value: take one before a request
 * and one after to prove the request changed nothing. Tables are found in the catalogue, so a new
 * table is covered without touching this file. Attempt counts (attempt_limits) are left out: a
 * refused login must count, and counting is bookkeeping, not data the request saved.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';

let statement: ReturnType<typeof sql.raw> | null = null;

async function snapshotStatement(db: Database) {
  if (statement) return statement;
  const tables = (
    await db.execute<{ name: string }>(
      sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'attempt_limits' ORDER BY table_name`,
    )
  ).rows.map((r) => r.name);
  if (tables.length === 0) throw new Error('no tables to snapshot');
  // One statement: each table's rows as JSON text, sorted, so row order never matters.
  const parts = tables.map(
    (t) =>
      `'${t}', (SELECT coalesce(json_agg(r ORDER BY r), '[]'::json) FROM (SELECT row_to_json(x)::text AS r FROM "${t}" x) s)`,
  );
  statement = sql.raw(`SELECT json_build_object(${parts.join(', ')})::text AS snapshot`);
  return statement;
}

/** The whole database as text; equal snapshots mean equal contents. */
export async function snapshotDatabase(db: Database): Promise<Record<string, string[]>> {
  const [row] = (await db.execute<{ snapshot: string }>(await snapshotStatement(db))).rows;
  return JSON.parse(row!.snapshot) as Record<string, string[]>;
}
