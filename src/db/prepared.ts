/**
 * Statements on hot paths, built once per database: drizzle then skips rebuilding the SQL on every
 * call (its query builder is the costliest part of a simple query), and PostgreSQL gets a named
 * prepared statement.
 */
import type { Database } from './client.ts';

export function prepared<T>(build: (db: Database) => T): (db: Database) => T {
  const cache = new WeakMap<Database, T>();
  return (db) => {
    let statement = cache.get(db);
    if (!statement) {
      statement = build(db);
      cache.set(db, statement);
    }
    return statement;
  };
}
