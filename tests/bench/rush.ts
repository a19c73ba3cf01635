/**
 * 7. The rush: one schedule with 200 open slots and 400 bookers, each a new visitor (no cookie yet,
 * as a fresh browser sends the claim through htmx: form POST, Origin, HX-Request), all 400 requests
 * started at the same moment, two bookers per slot. Measured: each answer's latency, the 200s and
 * 409s, and (from the database afterwards) that nobody was told a slot is theirs that is not.
 *
 * Cases, in every round: (a) one viewer socket on the scheduling page; (b) 1,000 viewer sockets in
 * three zones, and the time from the last answer until every one of them shows every booking;
 * (c) baseline: a bare `ws` server answering the same POSTs and broadcasting one small frame per
 * booking to 1,000 sockets; (d) baseline: the app's /healthz under the same 400-at-once pattern.
 *
 * Each booker has its own keep-alive connection, opened just before the rush (a browser that has
 * loaded the page has one), so the 400 requests leave together rather than queueing on connects.
 * The viewers live in a process of their own (lib/swarm.ts); all share the machine's cores.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Claim, compareClaims, readBookedSlots, visitorKeyOf } from './lib/booked.ts';
import { monotonicMs } from './lib/child.ts';
import { type Consistent, measureConsistently } from './lib/consistency.ts';
import { keepAliveAgent, request } from './lib/http.ts';
import { allStarted, BENCH_APP_ENV, startAppProcess, startBareWsServer, watchdog } from './lib/processes.ts';
import { dayOfInstant } from '../../src/domain/slot-calendar.ts';
import { createScheduleWithSlots, dateAhead } from './lib/schedule.ts';
import { sleep, summary } from './lib/stats.ts';
import { type Converged, startSwarm } from './lib/swarm.ts';

const SLOTS = 200;
const BOOKERS = 400;
const VIEWERS = 1000;
const ZONES = ['America/Denver', 'Europe/London', 'Asia/Tokyo'];
/** Longest wait for every viewer to show every booking before calling it not converged. */
const CONVERGE_TIMEOUT_MS = 15_000;
/** Longest wait for one answer (a request still unanswered then counts as failed). */
const ANSWER_TIMEOUT_MS = 60_000;
/** The whole benchmark, one database: past this its processes are stopped. */
const RUSH_TIME_LIMIT_MS = 10 * 60_000;

export interface Latencies {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export interface RushCase {
  /** Every answer's latency, pooled over the rounds. */
  latency: Latencies;
  /** Answers by status over all rounds ("error" when the request failed outright). */
  statuses: Record<string, number>;
  /** Rounds whose answers were exactly SLOTS 200s and SLOTS 409s. */
  roundsAllAnswered: number;
  /** Per round: ms from the last answer until every viewer showed every booking (NaN: not within the timeout). */
  convergence: number[];
  /** What kept viewers from converging, per round that did not. */
  notConverged: string[];
  /** Per round: ms from the first request until every viewer showed every booking (NaN: never). */
  allShown: number[];
  consistent: boolean;
  problems: string[];
}

export interface RushResult {
  database: 'PostgreSQL' | 'PGlite';
  rounds: number;
  oneViewer: RushCase;
  manyViewers: RushCase;
  bare: RushCase;
  healthz: RushCase;
  /** Over every claim the app answered in the run (warm-up and repeated attempts included). */
  doubleBookings: number;
  /** Bookings in the database that no answer announced. */
  untold: number;
}

interface RoundOutcome {
  latencies: number[];
  statuses: number[];
  errors: number;
  lastAnswerAt: number;
  convergence: number;
  notConverged: string | null;
  allShown: number;
  /** The viewers' process: CPU time and longest stall over the round (a stall delays what it times). */
  swarm: { cpuMs: number; loopDelayMaxMs: number } | null;
}

/** Fires `calls.length` requests at once, each on its own already-open keep-alive connection. */
async function fireAtOnce(origin: string, warmPath: string, calls: { path: string; form?: Record<string, string> }[]) {
  const agent = keepAliveAgent(calls.length);
  try {
    // One connection per booker, open before the rush (the server keeps idle ones 5 s).
    await Promise.all(calls.map(() => request(origin, warmPath, { agent, readBody: false })));
    const answers = calls.map((call) => {
      const started = monotonicMs();
      return request(origin, call.path, {
        form: call.form,
        htmx: true,
        agent,
        readBody: false,
        timeoutMs: ANSWER_TIMEOUT_MS,
      }).then(
        (reply) => ({
          ms: monotonicMs() - started,
          at: monotonicMs(),
          status: reply.status,
          setCookie: reply.headers['set-cookie'],
        }),
        () => ({ ms: Number.NaN, at: monotonicMs(), status: 0, setCookie: undefined }),
      );
    });
    return await Promise.all(answers);
  } finally {
    agent.destroy();
  }
}

function describe(outcome: RoundOutcome) {
  return `p99 ${summary(outcome.latencies).p99.toFixed(1)} ms, ${outcome.statuses.filter((s) => s === 200).length}×200 ${outcome.statuses.filter((s) => s === 409).length}×409`;
}

/** Inconsistent: requests that failed outright, so the round did not measure 400 answers. */
const checkRound = (o: RoundOutcome) => (o.errors > 0 ? [`${o.errors} of ${BOOKERS} requests failed outright`] : []);

function collect(outcomes: Consistent<RoundOutcome>[], withConvergence: boolean): RushCase {
  const statuses: Record<string, number> = {};
  for (const o of outcomes) {
    for (const status of o.value.statuses) {
      const key = status === 0 ? 'error' : String(status);
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  }
  return {
    latency: summary(outcomes.flatMap((o) => o.value.latencies.filter((l) => !Number.isNaN(l)))),
    statuses,
    roundsAllAnswered: outcomes.filter(
      (o) =>
        o.value.statuses.filter((s) => s === 200).length === SLOTS &&
        o.value.statuses.filter((s) => s === 409).length === BOOKERS - SLOTS,
    ).length,
    convergence: withConvergence ? outcomes.map((o) => o.value.convergence) : [],
    notConverged: outcomes.flatMap((o) => (o.value.notConverged ? [o.value.notConverged] : [])),
    allShown: withConvergence ? outcomes.map((o) => o.value.allShown) : [],
    consistent: outcomes.every((o) => o.consistent),
    problems: outcomes.flatMap((o) => o.problems),
  };
}

/**
 * When every viewer had every booking: after the last answer (0 if before it: the pushes may beat
 * the answers when answers are slow), and after the first request; or why never.
 */
function convergenceOf(converged: Converged, viewers: number, answers: { at: number; ms: number }[]) {
  const lastAnswerAt = Math.max(...answers.map((a) => a.at));
  const firedAt = Math.min(...answers.filter((a) => !Number.isNaN(a.ms)).map((a) => a.at - a.ms));
  const swarm = { cpuMs: converged.cpuMs, loopDelayMaxMs: converged.loopDelayMaxMs };
  if (converged.missing === 0) {
    const allAt = Math.max(...converged.doneAt);
    return {
      lastAnswerAt,
      convergence: Math.max(0, allAt - lastAnswerAt),
      allShown: allAt - firedAt,
      notConverged: null,
      swarm,
    };
  }
  const closed = converged.closed.length
    ? ` (${converged.closed.length} closed by the server: ${[...new Set(converged.closed)].join(', ')})`
    : '';
  const notConverged = `${converged.missing} of ${viewers} viewers never showed every booking within ${CONVERGE_TIMEOUT_MS / 1000} s${closed}`;
  return { lastAnswerAt, convergence: Number.NaN, allShown: Number.NaN, notConverged, swarm };
}

export async function benchRush(
  kind: 'postgres' | 'embedded',
  databaseUrl: string | null,
  log: (line: string) => void,
  rounds = Number(process.env.BENCH_RUSH_ROUNDS ?? 3),
): Promise<RushResult> {
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`BENCH_RUSH_ROUNDS must be a whole number from 1, not ${process.env.BENCH_RUSH_ROUNDS}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-rush-'));
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  // Started together, so that none is left running if another fails to start.
  const [app, bare, swarm] = await allStarted([
    startAppProcess(
      { ...(kind === 'postgres' ? { DATABASE_URL: databaseUrl! } : { DATA_DIR: dataDir }), ...BENCH_APP_ENV },
      { timeoutMs: 60_000 },
    ),
    startBareWsServer(),
    startSwarm(),
  ] as const);
  const callOff = watchdog(`rush (${label})`, RUSH_TIME_LIMIT_MS, () => [app.child, bare.child, swarm.child], log);
  const liveUrl = (publicId: string) => `${app.origin.replace('http', 'ws')}/s/${publicId}/live`;
  /** Every claim the app answered, by schedule, for the database check at the end. */
  const claimsBySchedule = new Map<string, Claim[]>();
  let scheduleCount = 0;

  /** One rush on the app: a fresh schedule of `slots` slots, `viewers` viewers, two bookers per slot. */
  async function appRush(slots: number, viewers: number): Promise<RoundOutcome> {
    const firstDate = dateAhead(30 + 10 * scheduleCount++);
    const schedule = await createScheduleWithSlots(app.origin, { count: slots, firstDate });
    // Each page shows one day: the first date, in its zone. Its viewers converge when they show every
    // booking of the slots on that day there (slot i starts 15 min × i into its day, 95 slots a day).
    const startOf = (i: number) =>
      new Date(Date.parse(`${firstDate}T00:00:00Z`) + Math.floor(i / 95) * 86_400_000 + (i % 95) * 900_000);
    const onPage = (zone: string) =>
      new Set(schedule.slotIds.filter((_, i) => dayOfInstant(startOf(i), zone) === firstDate));
    await swarm.open({
      url: liveUrl(schedule.publicId),
      urlsByZone: Object.fromEntries(ZONES.map((z) => [z, `${liveUrl(schedule.publicId)}?day=${firstDate}`])),
      origin: app.origin,
      zones: ZONES,
      count: viewers,
      trackBooked: true,
    });
    await sleep(500);
    const targets = Array.from({ length: slots * 2 }, (_, i) => schedule.slotIds[i % slots]!);
    const answers = await fireAtOnce(
      app.origin,
      '/healthz',
      targets.map((slotId) => ({
        path: `/s/${schedule.publicId}/slots/${slotId}/claim`,
        form: { name: 'Rush', email: '' },
      })),
    );
    const claims = answers.map((a, i) => ({
      slotId: targets[i]!,
      status: a.status,
      visitorKey: visitorKeyOf(a.setCookie),
    }));
    claimsBySchedule.set(schedule.publicId, claims);
    const won = [...new Set(claims.filter((c) => c.status === 200).map((c) => c.slotId))];
    const idsByZone = Object.fromEntries(ZONES.map((z) => [z, won.filter((id) => onPage(z).has(id))]));
    const converged = await swarm.converge(won, CONVERGE_TIMEOUT_MS, idsByZone);
    await swarm.close();
    return {
      latencies: answers.map((a) => a.ms),
      statuses: answers.map((a) => a.status),
      errors: answers.filter((a) => a.status === 0).length,
      ...convergenceOf(converged, viewers, answers),
    };
  }

  async function bareRush(viewers: number): Promise<RoundOutcome> {
    const slotIds = Array.from({ length: SLOTS }, () => randomUUID());
    await swarm.open({
      url: `${bare.origin.replace('http', 'ws')}/`,
      count: viewers,
      waitFirstMessage: false,
      trackBooked: true,
    });
    await sleep(500);
    const targets = Array.from({ length: BOOKERS }, (_, i) => slotIds[i % SLOTS]!);
    const answers = await fireAtOnce(
      bare.origin,
      '/count',
      targets.map((slotId) => ({ path: `/s/bare/slots/${slotId}/claim`, form: { name: 'Rush', email: '' } })),
    );
    const won = [...new Set(targets.filter((_, i) => answers[i]!.status === 200))];
    const converged = await swarm.converge(won, CONVERGE_TIMEOUT_MS);
    await swarm.close();
    return {
      latencies: answers.map((a) => a.ms),
      statuses: answers.map((a) => a.status),
      errors: answers.filter((a) => a.status === 0).length,
      ...convergenceOf(converged, viewers, answers),
    };
  }

  async function healthzRush(): Promise<RoundOutcome> {
    const answers = await fireAtOnce(
      app.origin,
      '/healthz',
      Array.from({ length: BOOKERS }, () => ({ path: '/healthz' })),
    );
    return {
      latencies: answers.map((a) => a.ms),
      statuses: answers.map((a) => a.status),
      errors: answers.filter((a) => a.status !== 200).length,
      lastAnswerAt: 0,
      convergence: 0,
      allShown: 0,
      notConverged: null,
      swarm: null,
    };
  }

  try {
    // Warm-up, not measured (its claims are checked with the rest): JIT, first-use allocations.
    await appRush(40, 3);
    await bareRush(3);
    await healthzRush();
    log(`  rush (${label}): warmed up; ${rounds} rounds of /healthz, 1 viewer, ${VIEWERS} viewers, bare ws`);

    const outcomes: Record<'healthz' | 'one' | 'many' | 'bare', Consistent<RoundOutcome>[]> = {
      healthz: [],
      one: [],
      many: [],
      bare: [],
    };
    for (let round = 1; round <= rounds; round++) {
      // The cases alternate within each round, so all of them see the machine in the same state.
      outcomes.healthz.push(await measureConsistently(`rush ${label} /healthz`, healthzRush, checkRound, log));
      outcomes.one.push(await measureConsistently(`rush ${label} 1 viewer`, () => appRush(SLOTS, 1), checkRound, log));
      outcomes.many.push(
        await measureConsistently(`rush ${label} ${VIEWERS} viewers`, () => appRush(SLOTS, VIEWERS), checkRound, log),
      );
      outcomes.bare.push(await measureConsistently(`rush bare ws`, () => bareRush(VIEWERS), checkRound, log));
      const last = (list: Consistent<RoundOutcome>[]) => list[list.length - 1]!.value;
      const converged = (o: RoundOutcome) =>
        (o.notConverged ??
          `converged ${o.convergence.toFixed(0)} ms after the last answer (${o.allShown.toFixed(0)} ms after the first request)`) +
        (o.swarm
          ? ` (viewers' process: ${(o.swarm.cpuMs / 1000).toFixed(1)} s CPU, longest stall ${o.swarm.loopDelayMaxMs.toFixed(0)} ms)`
          : '');
      log(
        `  round ${round}: /healthz p99 ${summary(last(outcomes.healthz).latencies).p99.toFixed(1)} ms; 1 viewer ${describe(last(outcomes.one))}; ` +
          `${VIEWERS} viewers ${describe(last(outcomes.many))}, ${converged(last(outcomes.many))}; bare ws ${describe(last(outcomes.bare))}, ${converged(last(outcomes.bare))}`,
      );
    }
    await swarm.close();
    await app.stop();

    // Every answer against the database: one holder per slot, and it is the one who was told so.
    const where = kind === 'postgres' ? { databaseUrl: databaseUrl! } : { dataDir };
    const booked = await readBookedSlots(where, [...claimsBySchedule.keys()]);
    let doubleBookings = 0;
    let untold = 0;
    for (const [publicId, claims] of claimsBySchedule) {
      const compared = compareClaims(claims, booked.get(publicId) ?? []);
      doubleBookings += compared.doubleBookings;
      untold += compared.untold;
    }
    log(
      `  rush (${label}): ${claimsBySchedule.size} schedules checked in the database: ${doubleBookings} double bookings, ${untold} bookings nobody was told of`,
    );
    return {
      database: label,
      rounds,
      healthz: collect(outcomes.healthz, false),
      oneViewer: collect(outcomes.one, true),
      manyViewers: collect(outcomes.many, true),
      bare: collect(outcomes.bare, true),
      doubleBookings,
      untold,
    };
  } finally {
    callOff();
    await Promise.all([app.stop(), bare.stop(), swarm.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
