/**
 * Row ids (uuid columns) as they arrive in paths and forms. PostgreSQL refuses anything that is not
 * a uuid with an error, so every lookup checks the shape first and treats a malformed id as one
 * that does not exist.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string has the shape of a row id (checked before it reaches SQL). */
export function isUuid(value: string | undefined | null): value is string {
  return typeof value === 'string' && UUID.test(value);
}
