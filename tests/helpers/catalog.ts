/**
 * A PGlite database's schema and contents as comparable values, read from the catalogue: two
 * databases with equal dumps have the same extensions, tables, columns, constraints, indexes,
 * triggers, functions, views, sequences and types, and the same rows. Used to show that a database
 * copied from the template equals one created and migrated in place.
 */
import type { PGlite } from '@electric-sql/pglite';

const USER_SCHEMAS = (column: string) =>
  `${column} NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND ${column} NOT LIKE 'pg\\_temp\\_%' AND ${column} NOT LIKE 'pg\\_toast\\_temp\\_%'`;

const SCHEMA_QUERIES: Record<string, string> = {
  database: `SELECT datname, pg_encoding_to_char(encoding) AS encoding, datcollate, datctype FROM pg_database`,
  extensions: `SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace`,
  schemas: `SELECT nspname FROM pg_namespace WHERE ${USER_SCHEMAS('nspname')}`,
  relations: `SELECT n.nspname, c.relname, c.relkind, c.relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_SCHEMAS('n.nspname')} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'i')`,
  columns: `SELECT table_schema, table_name, column_name, ordinal_position, data_type, udt_name, is_nullable, column_default,
      is_identity, is_generated, generation_expression, character_maximum_length, numeric_precision, numeric_scale, collation_name
    FROM information_schema.columns WHERE ${USER_SCHEMAS('table_schema')}`,
  constraints: `SELECT n.nspname, c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) AS definition, con.condeferrable, con.condeferred
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS('n.nspname')}`,
  indexes: `SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE ${USER_SCHEMAS('schemaname')}`,
  triggers: `SELECT t.tgrelid::regclass::text AS relation, t.tgname, pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t WHERE NOT t.tgisinternal`,
  functions: `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS arguments, md5(coalesce(p.prosrc, '')) AS body
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMAS('n.nspname')}`,
  views: `SELECT schemaname, viewname, definition FROM pg_views WHERE ${USER_SCHEMAS('schemaname')}`,
  sequences: `SELECT sequence_schema, sequence_name, data_type, start_value, increment, maximum_value FROM information_schema.sequences`,
  types: `SELECT n.nspname, t.typname, t.typtype, (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMAS('n.nspname')} AND t.typtype IN ('e', 'd', 'r')`,
};

/** Each part of the schema as sorted lines of JSON. */
export async function dumpSchema(pglite: PGlite): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const [part, query] of Object.entries(SCHEMA_QUERIES)) {
    const { rows } = await pglite.query<Record<string, unknown>>(query);
    dump[part] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return dump;
}

/** Every row of every table outside the system schemas (the migrations table included), by "schema.table". */
export async function dumpRows(pglite: PGlite): Promise<Record<string, Record<string, unknown>[]>> {
  const { rows: tables } = await pglite.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND ${USER_SCHEMAS('table_schema')} ORDER BY 1`,
  );
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const { name } of tables) {
    const { rows } = await pglite.query<{ r: Record<string, unknown> }>(`SELECT row_to_json(x) AS r FROM ${name} x`);
    dump[name] = rows.map((row) => row.r);
  }
  return dump;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Rows with what differs between two equal loads taken out: the columns in `volatile` (times,
 * salted hashes) are dropped, and every random id is replaced by a name for the row it identifies
 * (its table and its other, stable columns), wherever it appears, so references still compare.
 */
export function normalizeRows(
  dump: Record<string, Record<string, unknown>[]>,
  volatile: ReadonlySet<string>,
): Record<string, string[]> {
  const stable = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).filter(
        ([column, value]) => !volatile.has(column) && !(typeof value === 'string' && UUID.test(value)),
      ),
    );
  const names = new Map<string, string>();
  for (const [table, rows] of Object.entries(dump)) {
    for (const row of rows) {
      if (typeof row.id !== 'string' || !UUID.test(row.id)) continue;
      const name = `${table} ${JSON.stringify(stable(row))}`;
      if ([...names.values()].includes(name))
        throw new Error(`two rows of ${table} differ only in volatile columns: cannot tell them apart`);
      names.set(row.id, name);
    }
  }
  const normalized: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(dump)) {
    normalized[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(row)
              .filter(([column]) => !volatile.has(column))
              .map(([column, value]) => [
                column,
                typeof value === 'string' && UUID.test(value) ? (names.get(value) ?? 'unknown id') : value,
              ]),
          ),
        ),
      )
      .sort();
  }
  return normalized;
}
