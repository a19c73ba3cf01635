/**
 * How long tests wait, in one place. The machine is shared and noisy, and CI's may be three times
 * slower than the one a test was written on, so anything that waits for a state (a poll, a message,
 * a process becoming healthy) gets a bound far beyond what a passing run needs: a passing wait
 * returns as soon as the state is there, so a generous bound costs nothing; only a failing test
 * waits it out. Tests never assert how long something took unless speed is the property.
 *
 * Sized from a 2-core development machine: each figure is at least ten times what the slowest
 * idle run needed, so a machine three times slower, with both cores busy, still passes. WAIT_MS
 * stays under vitest's default test timeout (30 s), so a state that never comes fails with the
 * poll's own message rather than a bare timeout.
 */

/** A state one request or push away: a socket message, a DOM change after a click, a poll. */
export const WAIT_MS = 20_000;

/** `expect.poll` options for such a state. */
export const WAIT = { timeout: WAIT_MS, interval: 50 } as const;

/** An app process from spawn to a healthy `/healthz` (build loaded, database opened, migrated). */
export const APP_START_MS = 120_000;

/**
 * One test that starts processes, databases or a browser and walks a whole story through them
 * (Playwright stories took 10–14 s idle, fault tests up to 23 s). Set per file or per test, never
 * as the global default, which stays short for the fast unit tests.
 */
export const STORY_TIMEOUT_MS = 300_000;

/** A `beforeAll`/`afterAll` that opens a database, starts a server and launches Chromium. */
export const SETUP_TIMEOUT_MS = 180_000;

/**
 * `promise`'s value, or the sentence `late` if it has not settled within `ms`. For the few tests
 * whose property is a bound (an exit after SIGTERM, a heartbeat reaping): the test sets the bad
 * outcome minutes away, and `ms` far from both it and the good one.
 */
export function within<T>(promise: Promise<T>, ms: number, late: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
