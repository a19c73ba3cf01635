/**
 * What the database holds after a run: each booked slot of a schedule and whose pick it is (the
 * hash of the visitor cookie that booked it). Read straight from PostgreSQL, or from the embedded
 * data folder once the app process has stopped (PGlite has one owner at a time).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { openEmbeddedDatabase } from '../../../src/db/client.ts';

export interface BookedSlot {
  slotId: string;
  visitorHash: string | null;
}

const QUERY = `SELECT s.id::text AS slot_id, s.visitor_hash FROM slots s JOIN schedules c ON c.id = s.schedule_id
  WHERE c.public_id = $1 AND s.booking_id IS NOT NULL`;

/** Booked slots of each schedule (by public id), from `databaseUrl` or the embedded `dataDir`. */
export async function readBookedSlots(
  where: { databaseUrl: string } | { dataDir: string },
  publicIds: string[],
): Promise<Map<string, BookedSlot[]>> {
  const result = new Map<string, BookedSlot[]>();
  const toSlots = (rows: readonly Record<string, unknown>[]) =>
    rows.map((r) => ({ slotId: String(r.slot_id), visitorHash: (r.visitor_hash as string | null) ?? null }));
  if ('databaseUrl' in where) {
    const client = new pg.Client({ connectionString: where.databaseUrl });
    client.on('error', () => {}); // a lost connection fails the query in flight
    await client.connect();
    try {
      for (const id of publicIds)
        result.set(id, toSlots((await client.query<Record<string, unknown>>(QUERY, [id])).rows));
    } finally {
      await client.end();
    }
  } else {
    const handle = await openEmbeddedDatabase({ dataDir: where.dataDir });
    try {
      for (const id of publicIds)
        result.set(id, toSlots((await handle.pglite!.query<Record<string, unknown>>(QUERY, [id])).rows));
    } finally {
      await handle.close();
    }
  }
  return result;
}

/** The hash the app stores for a visitor cookie's key (src/domain/tokens.ts `hashKey`). */
export const visitorHashOf = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The visitor key an answer set (Set-Cookie: visitor=…), if any. */
export function visitorKeyOf(setCookie: string[] | undefined): string | null {
  for (const line of setCookie ?? []) {
    const match = /^visitor=([a-z2-7]{32})/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}

export interface Claim {
  slotId: string;
  status: number;
  visitorKey: string | null;
}

/**
 * Compares what the app answered with what the database holds. A double booking is a slot two
 * people were told is theirs, or one told "booked" while the database names someone else; a
 * booking nobody was told about is counted apart (it is wrong too, but a different wrong).
 */
export function compareClaims(
  claims: Claim[],
  booked: BookedSlot[],
): { doubleBookings: number; untold: number; booked: number } {
  const bookedBy = new Map(booked.map((b) => [b.slotId, b.visitorHash]));
  const winners = new Map<string, Claim[]>();
  for (const c of claims) if (c.status === 200) winners.set(c.slotId, [...(winners.get(c.slotId) ?? []), c]);
  let doubleBookings = 0;
  for (const [slotId, won] of winners) {
    doubleBookings += won.length - 1;
    const holder = bookedBy.get(slotId);
    if (holder === undefined || holder !== (won[0]!.visitorKey ? visitorHashOf(won[0]!.visitorKey) : null))
      doubleBookings++;
  }
  const untold = booked.filter((b) => !winners.has(b.slotId)).length;
  return { doubleBookings, untold, booked: booked.length };
}
