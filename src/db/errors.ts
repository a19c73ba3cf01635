/** Reading PostgreSQL errors the same way from PGlite, node-postgres and drizzle's wrapper. */

interface PgErrorFields {
  code?: string;
  constraint?: string;
  constraint_name?: string;
}

function fieldsOf(error: unknown): PgErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const fields = current as PgErrorFields & { cause?: unknown };
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) return fields;
    current = fields.cause;
  }
  return undefined;
}

/** True when the error is PostgreSQL refusing a row for this constraint (unique, exclusion, check). */
export function isConstraintViolation(error: unknown, constraint: string): boolean {
  const fields = fieldsOf(error);
  if (!fields) return false;
  const name = fields.constraint ?? fields.constraint_name;
  return name === constraint;
}

/**
 * True when PostgreSQL refused a row because it overlaps another under this exclusion constraint
 * (SQLSTATE 23P01): a hold whose period collides with one already there.
 */
export function isExclusionViolation(error: unknown, constraint: string): boolean {
  return pgErrorCode(error) === '23P01' && isConstraintViolation(error, constraint);
}

/** The SQLSTATE of a PostgreSQL error, if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  return fieldsOf(error)?.code;
}

/**
 * True when PostgreSQL refused a value itself (SQLSTATE class 22, "data exception": a NUL byte in
 * text, a malformed uuid, a timestamp out of range). Values come from requests, so this is bad
 * input that slipped past validation, not a fault of the server.
 */
export function isDataException(error: unknown): boolean {
  return pgErrorCode(error)?.startsWith('22') ?? false;
}

/**
 * node-postgres's own errors for a connection that broke, ended or never opened carry no code,
 * only these messages (pg 8.23: lib/client.js and pg-pool): the socket closed under a query or
 * between two, a connect that timed out, a client already broken or closed, a pool waited on too
 * long or already ended (the process is stopping).
 */
const CONNECTION_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Cannot use a pool after calling end on the pool$/,
];
/** Socket errors on the way to the database server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * The error in the chain (drizzle wraps the driver's) saying the database could not be reached or
 * dropped the connection (a restart, a failover, an administrator ending backends), as opposed to
 * refusing the query: worth a "try again in a moment" rather than a 500. Undefined otherwise.
 */
export function unavailabilityCause(error: unknown): { code: string; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as { code?: unknown; severity?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
    const code = typeof e.code === 'string' ? e.code : '';
    const found = { code, message: typeof e.message === 'string' ? e.message : '' };
    // FATAL and PANIC end the session; class 08 is "connection exception"; 57P01–57P03 are the
    // server shutting down, crashing or not yet accepting connections.
    if (e.severity === 'FATAL' || e.severity === 'PANIC') return found;
    if (code.startsWith('08') || /^57P0[1-3]$/.test(code)) return found;
    if (SOCKET_CODES.has(code)) return found;
    if (!code && CONNECTION_MESSAGES.some((pattern) => pattern.test(found.message))) return found;
    current = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return undefined;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailabilityCause(error) !== undefined;
}
