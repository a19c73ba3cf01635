/**
 * 2. Bookings per second over HTTP across many slots: many clients with keep-alive, each booking
 * the next free slot as a new visitor. Then a contention round (many requests on few slots) and a
 * count of what was booked: successes must equal bookings, or a slot was booked twice. Baselines:
 * the app's /healthz under the same load, and pgbench -M prepared running the same conditional
 * UPDATE plus pg_notify straight against PostgreSQL (the app stopped meanwhile).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { closedLoop, keepAliveAgent, request } from './lib/http.ts';
import { BENCH_APP_ENV, startAppProcess } from './lib/processes.ts';
import { createBenchSchedule } from './lib/schedule.ts';

export interface BookingsResult {
  database: 'PostgreSQL' | 'PGlite';
  bookingsPerSecond: number;
  bookings: number;
  errors: number;
  contention: { requests: number; won: number; slots: number };
  /** Bookings the app says it made minus bookings in the calendar file: must be 0. */
  doubleBookings: number;
  healthzPerSecond: number;
  pgbenchTps: number | null;
}

const CONCURRENCY = 32;
const SECONDS = 6;

/** Runs `call` from CONCURRENCY clients for `seconds` (or until it returns null: nothing left). */
async function throughput(
  origin: string,
  seconds: number,
  call: (agent: ReturnType<typeof keepAliveAgent>) => Promise<boolean | null>,
) {
  const agent = keepAliveAgent(CONCURRENCY);
  let ok = 0;
  let failed = 0;
  let exhausted = false;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await closedLoop(
    CONCURRENCY,
    () => exhausted || performance.now() >= deadline,
    async () => {
      const result = await call(agent);
      if (result === null) exhausted = true;
      else if (result) ok++;
      else failed++;
    },
  );
  if (exhausted) throw new Error('the benchmark ran out of slots: add days to the schedule');
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  void origin;
  return { ok, failed, perSecond: ok / elapsed };
}

export async function benchBookings(
  kind: 'postgres' | 'embedded',
  databaseUrl: string | null,
  log: (line: string) => void,
): Promise<BookingsResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-bookings-'));
  const env: Record<string, string> = kind === 'postgres' ? { DATABASE_URL: databaseUrl! } : { DATA_DIR: dataDir };
  const app = await startAppProcess({ ...env, ...BENCH_APP_ENV }, { timeoutMs: 60_000 });
  try {
    // 150 days × 95 slots of 15 minutes: more than the run can book.
    const schedule = await createBenchSchedule(app.origin, {
      firstDate: '2031-01-06',
      days: 150,
      start: '00:00',
      end: '23:45',
      split: 15,
    });
    const contested = schedule.slotIds.splice(-20);
    log(`  bookings (${kind}): ${schedule.slotIds.length} slots ready`);
    let next = 0;
    const book = async (agent: ReturnType<typeof keepAliveAgent>, slotId: string) => {
      const reply = await request(app.origin, `/s/${schedule.publicId}/slots/${slotId}/claim`, {
        form: { name: 'Bench', email: '' },
        htmx: true,
        agent,
        readBody: false,
      });
      return reply.status;
    };
    // Warm-up, not timed (but its bookings are counted below).
    const warmUp = await throughput(
      app.origin,
      1,
      async (agent) => (await book(agent, schedule.slotIds[next++]!)) === 200,
    );
    const run = await throughput(app.origin, SECONDS, async (agent) => {
      const slotId = schedule.slotIds[next++];
      if (!slotId) return null;
      return (await book(agent, slotId)) === 200;
    });
    log(`  bookings (${kind}): ${run.perSecond.toFixed(0)}/s`);

    // Contention: 400 requests for 20 slots, all at once.
    const agent = keepAliveAgent(CONCURRENCY);
    const statuses = await Promise.all(
      Array.from({ length: 400 }, (_, i) => book(agent, contested[i % contested.length]!)),
    );
    agent.destroy();
    const won = statuses.filter((s) => s === 200).length;

    // Every 200 the app answered must be one booking in the host's calendar file, no more, no less.
    const calendar = await request(app.origin, `/admin/${schedule.adminKey}/bookings.ics`);
    const inCalendar = (calendar.body.match(/BEGIN:VEVENT/g) ?? []).length;
    const madeByApp = warmUp.ok + run.ok + won;

    const health = await throughput(
      app.origin,
      3,
      async (a) => (await request(app.origin, '/healthz', { agent: a, readBody: false })).status === 200,
    );
    await app.stop();

    let pgbenchTps: number | null = null;
    if (kind === 'postgres') pgbenchTps = await runPgbench(databaseUrl!, log);
    return {
      database: kind === 'postgres' ? 'PostgreSQL' : 'PGlite',
      bookingsPerSecond: run.perSecond,
      bookings: run.ok,
      errors: run.failed,
      contention: { requests: 400, won, slots: contested.length },
      doubleBookings: madeByApp - inCalendar,
      healthzPerSecond: health.perSecond,
      pgbenchTps,
    };
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The booking's database work alone: the conditional UPDATE and a pg_notify, as pgbench runs them. */
async function runPgbench(databaseUrl: string, log: (line: string) => void): Promise<number | null> {
  const url = new URL(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {}); // a lost connection fails the query in flight
  const dir = mkdtempSync(join(tmpdir(), 'ipt-pgbench-'));
  try {
    await client.connect();
    await client.query(
      'UPDATE slots SET booking_id = NULL, booked_at = NULL, booker_name = NULL, booker_email = NULL, visitor_hash = NULL, manage_key_hash = NULL',
    );
    await client.query('DROP TABLE IF EXISTS bench_ids');
    await client.query(
      'CREATE TABLE bench_ids AS SELECT row_number() OVER (ORDER BY starts_at)::int AS n, id FROM slots',
    );
    await client.query('CREATE UNIQUE INDEX ON bench_ids (n)');
    const {
      rows: [row],
    } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_ids');
    const script = join(dir, 'claim.sql');
    writeFileSync(
      script,
      [
        '\\set n random(1, :count)',
        "UPDATE slots SET booking_id = gen_random_uuid(), booked_at = now(), booker_name = 'Bench', visitor_hash = md5(random()::text), manage_key_hash = md5(random()::text) WHERE id = (SELECT id FROM bench_ids WHERE n = :n) AND booking_id IS NULL AND starts_at > now();",
        // No ":word" in the payload: pgbench would read it as a variable.
        `SELECT pg_notify('ipt_live', '{"t": "schedule-bench", "e": {"type": "slots-booked", "ids": ["00000000-0000-4000-8000-000000000000"]}}');`,
        '',
      ].join('\n'),
    );
    const output = execFileSync(
      'pgbench',
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(CONCURRENCY),
        '-j',
        '2',
        '-T',
        String(SECONDS),
        '-D',
        `count=${row!.n}`,
        '-f',
        script,
        '-h',
        url.hostname,
        '-p',
        url.port || '5432',
        '-U',
        decodeURIComponent(url.username || 'postgres'),
        url.pathname.slice(1),
      ],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1]);
    log(`  pgbench: ${tps.toFixed(0)} transactions/s`);
    await client.query('DROP TABLE bench_ids');
    return tps;
  } catch (error) {
    log(`  pgbench skipped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return null;
  } finally {
    await client.end().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
