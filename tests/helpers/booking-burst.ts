/**
 * Fault tests' bookings: a burst of concurrent bookings by distinct visitors (some pairs racing for
 * one slot), a record of every one the server acknowledged, and the audit that checks them in the
 * database afterwards: each acknowledged booking there with its name, no booking half-written, no
 * slot acknowledged twice, nothing in the database nobody asked for.
 */
import type pg from 'pg';
import { getPage, type Remote, type RemoteSchedule, claimAsNewVisitor } from './remote.ts';
import { paths } from '../../views/paths.ts';

export interface Attempt {
  slotId: string;
  name: string;
}

/** A booking the server answered 200 to, with the manage key it handed out. */
export interface Acknowledged extends Attempt {
  manageKey: string;
}

export interface BurstResult {
  attempts: Attempt[];
  acknowledged: Acknowledged[];
  /** Answered 409: someone else won the slot. */
  refused: number;
  /** Answered 503: the database was out of reach (nothing acknowledged). */
  unavailable: number;
  /** No answer (the connection broke): committed or not, nobody was told it was booked. */
  unanswered: number;
  /** Requests sent but not answered when `stop` was called. */
  inFlightAtStop: number;
  /** Any other status: never expected. */
  unexpected: string[];
}

/**
 * Books `slotIds` as new visitors, `concurrency` requests at a time; every `raceEvery`-th slot is
 * asked for by two visitors at once. After `stopAfter` acknowledgements `stop` is called (the test
 * kills the server there) and no new request starts.
 */
export async function bookingBurst(
  app: Remote,
  schedule: RemoteSchedule,
  slotIds: string[],
  options: { label: string; concurrency?: number; raceEvery?: number; stopAfter?: number; stop?: () => void },
): Promise<BurstResult> {
  const attempts: Attempt[] = [];
  slotIds.forEach((slotId, i) => {
    attempts.push({ slotId, name: `${options.label} visitor ${i} a` });
    if (options.raceEvery && i % options.raceEvery === 0)
      attempts.push({ slotId, name: `${options.label} visitor ${i} b` });
  });
  const result: BurstResult = {
    attempts: [],
    acknowledged: [],
    refused: 0,
    unavailable: 0,
    unanswered: 0,
    inFlightAtStop: 0,
    unexpected: [],
  };
  let next = 0;
  let inFlight = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < attempts.length) {
      const attempt = attempts[next++]!;
      result.attempts.push(attempt);
      inFlight++;
      try {
        const response = await claimAsNewVisitor(app, schedule, attempt.slotId, attempt.name);
        const body = await response.text();
        if (response.status === 200) {
          const manageKey = /\/b\/([a-z2-7]{32})/.exec(body)?.[1];
          if (!manageKey) result.unexpected.push(`200 without a manage link for ${attempt.name}`);
          else result.acknowledged.push({ ...attempt, manageKey });
        } else if (response.status === 409) result.refused++;
        else if (response.status === 503) result.unavailable++;
        else result.unexpected.push(`${response.status} for ${attempt.name}`);
      } catch {
        result.unanswered++;
      } finally {
        inFlight--;
      }
      if (!stopped && options.stopAfter !== undefined && result.acknowledged.length >= options.stopAfter) {
        stopped = true;
        result.inFlightAtStop = inFlight;
        options.stop?.();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return result;
}

/** Runs SQL and returns rows (PGlite's or node-postgres's query, wrapped to answer `.rows`). */
export type RunSql = (text: string) => Promise<Record<string, unknown>[]>;

export interface Audit {
  acknowledged: number;
  /** Acknowledged bookings found in the database with their name. */
  checked: number;
  lost: Attempt[];
  /** Slots whose booking columns are partly filled. */
  halfWritten: number;
  /** Slots that two acknowledgements claimed. */
  acknowledgedTwice: string[];
  /** Bookings on the attempted slots under a name nobody sent for that slot. */
  foreign: number;
  /** Committed, though the answer never arrived (the kill came first): allowed, counted. */
  committedUnacknowledged: number;
  /** Whether the slots_booking_whole check constraint exists and is validated. */
  constraintValidated: boolean;
}

/** Checks acknowledged bookings against the database, directly in SQL. */
export async function auditBookings(runSql: RunSql, attempts: Attempt[], acknowledged: Acknowledged[]): Promise<Audit> {
  const rows = (await runSql(
    `SELECT id::text AS id, booker_name, booking_id IS NOT NULL AS booked FROM slots WHERE id IN (${[...new Set(attempts.map((a) => `'${a.slotId}'`))].join(', ') || 'NULL'})`,
  )) as { id: string; booker_name: string | null; booked: boolean }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const lost = acknowledged.filter((a) => byId.get(a.slotId)?.booker_name !== a.name || !byId.get(a.slotId)?.booked);
  const seen = new Set<string>();
  const acknowledgedTwice: string[] = [];
  for (const a of acknowledged) {
    if (seen.has(a.slotId)) acknowledgedTwice.push(a.slotId);
    seen.add(a.slotId);
  }
  const namesFor = new Map<string, Set<string>>();
  for (const a of attempts) namesFor.set(a.slotId, (namesFor.get(a.slotId) ?? new Set()).add(a.name));
  const booked = rows.filter((r) => r.booked);
  const foreign = booked.filter((r) => !namesFor.get(r.id)?.has(r.booker_name ?? '')).length;
  const [half] = await runSql(`
    SELECT count(*)::int AS n FROM slots
    WHERE (booking_id IS NULL) <> (booked_at IS NULL)
       OR (booking_id IS NULL) <> (booker_name IS NULL)
       OR (booking_id IS NULL) <> (manage_key_hash IS NULL)
       OR (booking_id IS NULL AND (booker_email IS NOT NULL OR visitor_hash IS NOT NULL))`);
  const [constraint] = await runSql(
    `SELECT convalidated FROM pg_constraint WHERE conname = 'slots_booking_whole' AND contype = 'c'`,
  );
  return {
    acknowledged: acknowledged.length,
    checked: acknowledged.length - lost.length,
    lost,
    halfWritten: Number(half!.n),
    acknowledgedTwice,
    foreign,
    committedUnacknowledged: booked.filter((r) => !acknowledged.some((a) => a.slotId === r.id)).length,
    constraintValidated: constraint?.convalidated === true,
  };
}

/** Over HTTP: each acknowledged booking's manage page shows it, under its name. Returns the ones that do not. */
export async function bookingsMissingOverHttp(app: Remote, acknowledged: Acknowledged[]): Promise<string[]> {
  const missing: string[] = [];
  for (const a of acknowledged) {
    const response = await getPage(app, paths.manage(a.manageKey));
    const page = await response.text();
    if (response.status !== 200 || !page.includes(`Booked for ${a.name}`))
      missing.push(`${a.name} (${response.status})`);
  }
  return missing;
}

/**
 * A booking written straight into the table, as another instance would commit it, but with no
 * NOTIFY: viewers can only learn of it from a full-state resync.
 */
export async function bookSilently(client: pg.ClientBase, slotId: string, name: string): Promise<void> {
  await client.query(
    `UPDATE slots SET booking_id = gen_random_uuid(), booked_at = now(), booker_name = $1, manage_key_hash = md5(random()::text)
    WHERE id = $2 AND booking_id IS NULL`,
    [name, slotId],
  );
}
