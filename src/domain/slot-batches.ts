/**
 * Adding many slots at once (weekly availability): every planned slot that overlaps nothing and
 * fits under the schedule's cap is made, in one statement; the rest are reported with why. The
 * database decides: `INSERT … ON CONFLICT DO NOTHING` against the no-overlap exclusion constraint,
 * under the schedule's row lock that every add of slots takes. A preview runs the very same
 * statement and rolls it back, so it shows exactly what "Create" would make at that moment.
 */
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { schedules, slots } from '../db/schema.ts';
import type { PlannedSlot } from './slot-rules.ts';
import type { Slot } from './slots.ts';

export interface BatchOutcome {
  /** The slots made (or, in a preview, that would be), in start order. */
  made: Slot[];
  /** Planned slots left out because a slot of the schedule is there, with that slot's times. */
  taken: { planned: PlannedSlot; existing: { startsAt: Date; endsAt: Date } }[];
  /** Planned slots left out because the schedule holds `limit` slots at most. */
  noRoom: PlannedSlot[];
  limit: number;
}

class PreviewDone extends Error {
  constructor(readonly outcome: BatchOutcome) {
    super('preview rolled back');
  }
}

/** Postgres array literal of instants: one parameter, whatever the count. */
const instants = (list: readonly Date[]) => `{${list.map((d) => d.toISOString()).join(',')}}`;

async function insertBatch(
  tx: Tx,
  scheduleId: string,
  planned: readonly PlannedSlot[],
  maxSlots: number,
): Promise<BatchOutcome> {
  await tx.execute(sql`SELECT 1 FROM ${schedules} WHERE id = ${scheduleId} FOR UPDATE`);
  const counted = await tx.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM ${slots} WHERE schedule_id = ${scheduleId}`,
  );
  const room = Math.max(0, maxSlots - (counted.rows[0]?.n ?? 0));
  const notes = planned[0]?.notes ?? '';
  const inserted = await tx.execute<{ id: string; s: number; e: number }>(sql`
    INSERT INTO ${slots} (schedule_id, starts_at, ends_at, notes)
    SELECT ${scheduleId}, c.s, c.e, ${notes}
    FROM unnest(${instants(planned.map((p) => p.startsAt))}::timestamptz[],
                ${instants(planned.map((p) => p.endsAt))}::timestamptz[]) AS c(s, e)
    WHERE NOT EXISTS (
      SELECT 1 FROM ${slots} o WHERE o.schedule_id = ${scheduleId} AND o.starts_at < c.e AND o.ends_at > c.s
    )
    ORDER BY c.s
    LIMIT ${room}
    ON CONFLICT DO NOTHING
    RETURNING id, (extract(epoch FROM starts_at) * 1000)::float8 AS s, (extract(epoch FROM ends_at) * 1000)::float8 AS e`);
  const madeStarts = new Set(inserted.rows.map((r) => Number(r.s)));
  const made: Slot[] = inserted.rows
    .map((r) => ({
      id: r.id,
      scheduleId,
      startsAt: new Date(Number(r.s)),
      endsAt: new Date(Number(r.e)),
      notes,
      booking: null,
    }))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

  const left = planned.filter((p) => !madeStarts.has(p.startsAt.getTime()));
  const taken: BatchOutcome['taken'] = [];
  const noRoom: PlannedSlot[] = [];
  if (left.length > 0) {
    // What stands in their way, read in the same transaction (after the insert, so the list is whole).
    const first = Math.min(...left.map((p) => p.startsAt.getTime()));
    const last = Math.max(...left.map((p) => p.endsAt.getTime()));
    const existing = await tx.execute<{ s: number; e: number }>(sql`
      SELECT (extract(epoch FROM starts_at) * 1000)::float8 AS s, (extract(epoch FROM ends_at) * 1000)::float8 AS e
      FROM ${slots}
      WHERE schedule_id = ${scheduleId} AND starts_at < ${new Date(last).toISOString()}
        AND ends_at > ${new Date(first).toISOString()}
      ORDER BY starts_at`);
    const spans = existing.rows.map((r) => ({ s: Number(r.s), e: Number(r.e) }));
    let j = 0;
    for (const p of left) {
      const s = p.startsAt.getTime();
      const e = p.endsAt.getTime();
      while (j < spans.length && spans[j]!.e <= s) j++;
      // Existing slots never overlap each other, so the first one not ended by `s` is the only candidate.
      const other = spans[j];
      if (other && other.s < e) {
        taken.push({ planned: p, existing: { startsAt: new Date(other.s), endsAt: new Date(other.e) } });
      } else noRoom.push(p);
    }
  }
  return { made, taken, noRoom, limit: maxSlots };
}

/**
 * Makes every planned slot that overlaps no slot of the schedule and fits under `maxSlots`, earliest
 * first; with `preview`, works out the same and keeps nothing. `planned` must be in start order and
 * must not overlap itself.
 */
export async function addSlotBatch(
  db: Database,
  scheduleId: string,
  planned: readonly PlannedSlot[],
  options: { maxSlots: number; preview: boolean },
): Promise<BatchOutcome> {
  if (planned.length === 0) return { made: [], taken: [], noRoom: [], limit: options.maxSlots };
  try {
    return await db.transaction(async (tx) => {
      const outcome = await insertBatch(tx, scheduleId, planned, options.maxSlots);
      if (options.preview) throw new PreviewDone(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof PreviewDone) return error.outcome;
    throw error;
  }
}
