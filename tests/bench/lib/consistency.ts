/**
 * A measurement that contradicts itself (a negative size, counts that do not add up, a window with
 * no sample in it) says nothing about the app. It is taken again a few times; if it never comes
 * out consistent it is reported as failed, never as met.
 */

export interface Consistent<T> {
  value: T;
  consistent: boolean;
  /** What was wrong with the last attempt (empty when consistent). */
  problems: string[];
  attempts: number;
}

/**
 * Runs `measure` until `check` finds nothing wrong with its result, at most `attempts` times.
 * Returns the first consistent result, or the last one marked inconsistent.
 */
export async function measureConsistently<T>(
  label: string,
  measure: (attempt: number) => Promise<T>,
  check: (value: T) => string[],
  log: (line: string) => void,
  attempts = 3,
): Promise<Consistent<T>> {
  let value: T | undefined;
  let problems: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    value = await measure(attempt);
    problems = check(value);
    if (problems.length === 0) return { value, consistent: true, problems, attempts: attempt };
    log(
      `  ${label}: attempt ${attempt} of ${attempts} inconsistent (${problems.join('; ')})${attempt < attempts ? ', measuring again' : ''}`,
    );
  }
  return { value: value!, consistent: false, problems, attempts };
}

export const INCONSISTENT = '**not met: measurement inconsistent**';

/** The table's "met" cell: an inconsistent measurement is never met. */
export function verdict(ok: boolean, consistent = true): string {
  if (!consistent) return INCONSISTENT;
  return ok ? 'yes' : '**no**';
}
