/**
 * npm run bench: every benchmark with its baseline from the same run, printed and written into the
 * README between the bench markers, with the machine it ran on. PostgreSQL parts use
 * BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres if
 * it answers); they create their own databases and drop them. Rate limits and the live-socket
 * limits per address are set out of the way (BENCH_APP_ENV).
 *
 * Flags: `--only rush,amplification` runs only the named benchmarks (payload, render, coldstart,
 * bookings, fanout, memory, rush, amplification) and prints their rows without touching the
 * README (a partial table must not replace the whole one); `--no-readme` runs them all and prints
 * the table without writing it. `BENCH_RUSH_ROUNDS` sets the rush's rounds (default 3).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pgDriver from 'pg';
import { buildServer } from '../../src/tools/build.mjs';
import { AMPLIFICATION_APP_ENV, type AmplificationResult, benchAmplification } from './amplification.ts';
import { benchBookings, type BookingsResult } from './bookings.ts';
import { benchColdStart } from './coldstart.ts';
import { benchFanout } from './fanout.ts';
import { benchMemory } from './memory.ts';
import { benchPayload } from './payload.ts';
import { benchRender } from './render.ts';
import { benchRush, type RushCase, type RushResult } from './rush.ts';
import { verdict } from './lib/consistency.ts';
import { BENCH_APP_ENV_NOTE } from './lib/processes.ts';
import { kb, ms } from './lib/stats.ts';

const BENCHMARKS = ['payload', 'render', 'coldstart', 'bookings', 'fanout', 'memory', 'rush', 'amplification'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

function parseFlags(argv: string[]): { only: Set<BenchmarkName> | null; writeReadme: boolean } {
  let only: Set<BenchmarkName> | null = null;
  let writeReadme = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-readme') writeReadme = false;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      const names = (list ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length)
        throw new Error(
          `--only takes a comma-separated list of: ${BENCHMARKS.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`,
        );
      only = new Set(names as BenchmarkName[]);
      writeReadme = false;
    } else throw new Error(`unknown flag ${arg}: use --only <${BENCHMARKS.join('|')},…> and/or --no-readme`);
  }
  return { only, writeReadme };
}

const flags = parseFlags(process.argv.slice(2));
const selected = (name: BenchmarkName) => flags.only === null || flags.only.has(name);

const log = (line: string) => console.log(line);
const started = performance.now();

async function findPostgres(): Promise<{ url: string; version: string } | null> {
  const url =
    process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pgDriver.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { url, version: String(rows[0]!.server_version).split(' ')[0]! };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `work` on a connection of its own to the server at `url`. */
async function onServer<T>(url: string, work: (client: pgDriver.Client) => Promise<T>): Promise<T> {
  const client = new pgDriver.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the benchmark server, dropped by the returned function. */
async function scratchDatabase(baseUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  await onServer(baseUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await onServer(baseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

interface Row {
  benchmark: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

const rows: Row[] = [];
const row = (r: Row) => {
  rows.push(r);
  log(`  → ${r.benchmark}: ${r.measured} (baseline ${r.baseline}, ${r.ratio}); target ${r.target}: ${r.met}`);
};

await buildServer();
log(`App processes: ${BENCH_APP_ENV_NOTE}`);
const pg = await findPostgres();
log(pg ? `PostgreSQL ${pg.version} at ${new URL(pg.url).host}` : 'PostgreSQL not reachable: its parts are skipped');

if (selected('payload')) {
  log('6. JavaScript and CSS of a first visit');
  const payload = await benchPayload();
  row({
    benchmark: 'JavaScript of a first visit (htmx + ws extension + app.js), brotli',
    measured: kb(payload.js.brotli),
    baseline: `htmx alone ${kb(payload.htmxBrotli)}`,
    ratio: `${(payload.js.brotli / payload.htmxBrotli).toFixed(2)}×`,
    target: '≤ 25 KB',
    met: verdict(payload.js.brotli <= 25 * 1024),
  });
  row({
    benchmark: 'same, gzip',
    measured: kb(payload.js.gzip),
    baseline: `${kb(payload.js.raw)} uncompressed`,
    ratio: '–',
    target: '≤ 25 KB',
    met: verdict(payload.js.gzip <= 25 * 1024),
  });
  row({
    benchmark: 'CSS, brotli (gzip)',
    measured: `${kb(payload.css.brotli)} (${kb(payload.css.gzip)})`,
    baseline: `${kb(payload.css.raw)} uncompressed`,
    ratio: '–',
    target: '–',
    met: '–',
  });
}

if (selected('render')) {
  log('3. Scheduling page of a 2,000-slot schedule');
  const render = await benchRender();
  row({
    benchmark: 'Render, scheduling page of a 2,000-slot schedule, p50 (p99)',
    measured: `${ms(render.render.p50)} (${ms(render.render.p99)})`,
    baseline: `same HTML from memory ${ms(render.baseline.p50)}`,
    ratio: `${(render.render.p50 / render.baseline.p50).toFixed(1)}×`,
    target: 'p50 ≤ 10 ms',
    met: verdict(render.render.p50 <= 10),
  });
  row({
    benchmark: 'Bytes of that page: raw / gzip / brotli',
    measured: `${kb(render.bytes.raw)} / ${kb(render.bytes.gzip)} / ${kb(render.bytes.brotli)}`,
    baseline: '–',
    ratio: '–',
    target: '–',
    met: '–',
  });
}

if (selected('coldstart')) {
  log('5. Cold start');
  let coldDb: Awaited<ReturnType<typeof scratchDatabase>> | null = null;
  if (pg) coldDb = await scratchDatabase(pg.url, `ipt_bench_cold_${process.pid}`);
  const cold = await benchColdStart(coldDb?.url ?? null, log);
  await coldDb?.drop();
  row({
    benchmark: 'Cold start, `npm start` → first response, persisted embedded',
    measured: ms(cold.persistedEmbedded),
    baseline: `bare Node server via npm ${ms(cold.baseline)}`,
    ratio: `${(cold.persistedEmbedded / cold.baseline).toFixed(1)}×`,
    target: '≤ 1 s',
    met: verdict(cold.persistedEmbedded <= 1000),
  });
  row({
    benchmark: 'Cold start, new embedded data folder on a machine that has started once (cached template)',
    measured: ms(cold.newEmbedded),
    baseline: `persisted embedded ${ms(cold.persistedEmbedded)}`,
    ratio: `${(cold.newEmbedded / cold.persistedEmbedded).toFixed(2)}×`,
    target: '≤ 1.5× persisted',
    met: verdict(cold.newEmbedded <= 1.5 * cold.persistedEmbedded),
  });
  if (cold.postgres !== null)
    row({
      benchmark: 'Cold start, PostgreSQL',
      measured: ms(cold.postgres),
      baseline: ms(cold.baseline),
      ratio: `${(cold.postgres / cold.baseline).toFixed(1)}×`,
      target: '–',
      met: '–',
    });
}

if (selected('bookings')) {
  log('2. Bookings per second');
  const bookings: BookingsResult[] = [];
  if (pg) {
    const db = await scratchDatabase(pg.url, `ipt_bench_bookings_${process.pid}`);
    try {
      bookings.push(await benchBookings('postgres', db.url, log));
    } finally {
      await db.drop();
    }
  }
  bookings.push(await benchBookings('embedded', null, log));
  for (const b of bookings) {
    const base = `/healthz ${b.healthzPerSecond.toFixed(0)}/s${b.pgbenchTps ? `; pgbench ${b.pgbenchTps.toFixed(0)}/s` : ''}`;
    const ratio = `${(b.bookingsPerSecond / b.healthzPerSecond).toFixed(2)}× healthz${b.pgbenchTps ? `, ${(b.bookingsPerSecond / b.pgbenchTps).toFixed(2)}× pgbench` : ''}`;
    row({
      benchmark: `Bookings per second over HTTP, ${b.database} (32 clients, keep-alive); double bookings`,
      measured: `${b.bookingsPerSecond.toFixed(0)}/s; ${b.doubleBookings} (contention: ${b.contention.won} of ${b.contention.requests} requests won ${b.contention.slots} slots)`,
      baseline: base,
      ratio,
      target: b.database === 'PostgreSQL' ? '≥ 1,000/s, 0 double' : '0 double',
      met: verdict(
        (b.database !== 'PostgreSQL' || b.bookingsPerSecond >= 1000) &&
          b.doubleBookings === 0 &&
          b.contention.won === b.contention.slots,
      ),
    });
  }
}

if (selected('fanout')) {
  log('1. Fan-out');
  const fanout = await benchFanout([1000, 5000], 15, log);
  for (const f of fanout) {
    row({
      benchmark: `Fan-out to ${f.viewers.toLocaleString('en')} viewers (3 zones), booking → fragment, p50 / p99 / max`,
      measured: `${ms(f.app.p50)} / ${ms(f.app.p99)} / ${ms(f.app.max)}`,
      baseline: `bare ws: ${ms(f.baseline.p50)} / ${ms(f.baseline.p99)} / ${ms(f.baseline.max)}`,
      ratio: `p99 ${(f.app.p99 / f.baseline.p99).toFixed(2)}×`,
      target: 'p99 ≤ 1.5×',
      met: verdict(f.app.p99 <= 1.5 * f.baseline.p99),
    });
  }
}

if (selected('memory')) {
  log('4. Memory per idle viewer socket');
  const memory = await benchMemory([1000, 10000], log);
  for (const m of memory) {
    row({
      benchmark: `RSS per idle viewer socket, ${m.sockets.toLocaleString('en')} sockets`,
      measured:
        kb(m.appBytesPerSocket) +
        (m.consistent ? '' : ` (inconsistent in ${m.attempts} attempts: ${m.problems.join('; ')})`),
      baseline: `bare ws ${kb(m.bareBytesPerSocket)}`,
      ratio: m.consistent ? `${(m.appBytesPerSocket / m.bareBytesPerSocket).toFixed(1)}×` : '–',
      target: '≤ 25 KB',
      met: verdict(m.appBytesPerSocket <= 25 * 1024, m.consistent),
    });
  }
}

/** "p50 / p99 / max" of a rush case. */
const latencies = (c: RushCase) => `${ms(c.latency.p50)} / ${ms(c.latency.p99)} / ${ms(c.latency.max)}`;
/** The answers that were neither a win nor a lost race, if any. */
const otherAnswers = (c: RushCase) => {
  const other = Object.entries(c.statuses).filter(([status]) => status !== '200' && status !== '409');
  return other.length ? `; other answers: ${other.map(([status, n]) => `${n}× ${status}`).join(', ')}` : '';
};
const worst = (values: number[]) => (values.some((v) => Number.isNaN(v)) ? Number.NaN : Math.max(...values));
/** 0 ms: every viewer had every booking before the last answer arrived. */
const convergenceText = (c: RushCase) =>
  c.notConverged.length
    ? c.notConverged.join('; ')
    : `${ms(worst(c.convergence))} (all shown ${ms(worst(c.allShown))} after the first request)`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A benchmark that stopped with an error still gets its row: failed, with the reason. */
async function orFailedRow(benchmark: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replaceAll('|', '/');
    log(`  ${benchmark} failed: ${reason}`);
    row({ benchmark, measured: `did not finish: ${reason}`, baseline: '–', ratio: '–', target: '–', met: '**no**' });
  }
}

/** Why a measurement is reported as inconsistent, after its figures. */
const inconsistency = (consistent: boolean, problems: string[]) =>
  consistent ? '' : ` (inconsistent after repeats: ${[...new Set(problems)].join('; ')})`;

function rushRows(r: RushResult) {
  const { oneViewer: one, manyViewers: many, bare, healthz } = r;
  const answered = (c: RushCase) =>
    `${c.statuses['200'] ?? 0} / ${c.statuses['409'] ?? 0} in ${plural(r.rounds, 'round')}`;
  const allWon = (c: RushCase) => c.roundsAllAnswered === r.rounds;
  row({
    benchmark: `The rush, ${r.database}: 400 new visitors book 200 slots at once (2 per slot), 1 viewer; answer p50 / p99 / max; 200s / 409s; double bookings (database checked)`,
    measured: `${latencies(one)}; ${answered(one)}; ${r.doubleBookings}${r.untold ? ` (+${r.untold} bookings nobody was told of)` : ''}${otherAnswers(one)}${inconsistency(one.consistent && healthz.consistent, [...one.problems, ...healthz.problems])}`,
    baseline: `/healthz, same 400 at once: ${latencies(healthz)}`,
    ratio: `p99 ${(one.latency.p99 / healthz.latency.p99).toFixed(2)}× healthz`,
    target: '200 won per round, 0 double',
    met: verdict(
      allWon(one) && allWon(many) && r.doubleBookings === 0 && r.untold === 0,
      one.consistent && many.consistent && healthz.consistent,
    ),
  });
  row({
    benchmark: `The rush, ${r.database}, with 1,000 viewers (3 zones); answer p50 / p99 / max`,
    measured: `${latencies(many)}${otherAnswers(many)}${inconsistency(many.consistent, many.problems)}`,
    baseline: `1 viewer: p99 ${ms(one.latency.p99)}; bare ws, 1,000 sockets: ${latencies(bare)}`,
    ratio: `p99 ${(many.latency.p99 / one.latency.p99).toFixed(2)}× 1 viewer, ${(many.latency.p99 / bare.latency.p99).toFixed(1)}× bare ws`,
    target: 'p99 ≤ 1.3× 1 viewer',
    met: verdict(many.latency.p99 <= 1.3 * one.latency.p99, one.consistent && many.consistent),
  });
  const gap = worst(many.convergence) - worst(bare.convergence);
  row({
    benchmark: `The rush, ${r.database}, 1,000 viewers: last answer → every viewer shows every booking (0: before it), worst of ${plural(r.rounds, 'round')}`,
    measured: convergenceText(many),
    baseline: `bare ws ${convergenceText(bare)}`,
    // Near zero on both sides a ratio says nothing: the difference is what the app adds.
    ratio: Number.isNaN(gap) ? '–' : `${gap >= 0 ? '+' : '−'}${ms(Math.abs(gap))} vs bare ws`,
    target: '≤ 500 ms',
    met: verdict(worst(many.convergence) <= 500, many.consistent),
  });
}

if (selected('rush')) {
  log('7. The rush');
  if (pg) {
    const db = await scratchDatabase(pg.url, `ipt_bench_rush_${process.pid}`);
    try {
      await orFailedRow('The rush, PostgreSQL', async () => rushRows(await benchRush('postgres', db.url, log)));
    } finally {
      await db.drop();
    }
  }
  await orFailedRow('The rush, PGlite', async () => rushRows(await benchRush('embedded', null, log)));
}

let amplificationRan = false;
if (selected('amplification')) {
  log('8. Amplification');
  amplificationRan = true;
  await orFailedRow('Amplification', async () => amplificationRows(await benchAmplification(log)));
}

function amplificationRows(a: AmplificationResult) {
  const polls = (n: number) => `${n} polls, one every 5 ms`;
  row({
    benchmark: `Amplification: 1 slot added to a 2,000-slot schedule, 64 viewers in 64 zones; worst /healthz while the push goes out`,
    measured: `${ms(a.add.healthz.worst)} (${polls(a.add.healthz.latencies.length)})${inconsistency(a.add.consistent, a.add.problems)}`,
    baseline: `idle ${ms(a.idle.worst)}; a booking's push ${ms(a.booking.healthz.worst)}`,
    ratio: `${(a.add.healthz.worst / a.idle.worst).toFixed(1)}× idle`,
    target: '≤ 250 ms',
    met: verdict(a.add.healthz.worst <= 250, a.add.consistent),
  });
  row({
    benchmark: 'same push, bytes received per socket (most of the 64)',
    measured:
      kb(a.add.bytesPerSocket) +
      (a.add.missing ? `; ${a.add.missing} sockets never got the new slot` : '') +
      (a.add.closed.length ? `; ${a.add.closed.length} closed (${[...new Set(a.add.closed)].join(', ')})` : ''),
    baseline: `a booking's push ${kb(a.booking.bytesPerSocket)}`,
    ratio: `${(a.add.bytesPerSocket / a.booking.bytesPerSocket).toFixed(1)}×`,
    target: '≤ 20 KB',
    met: verdict(a.add.bytesPerSocket <= 20 * 1024 && a.add.missing === 0, a.add.consistent),
  });
  row({
    benchmark: 'Amplification: 64 viewers (64 zones) connecting at once to that 2,000-slot schedule; worst /healthz',
    measured: `${ms(a.connect.healthz.worst)} (${polls(a.connect.healthz.latencies.length)}; full state ${kb(a.connect.bytesPerSocket)} per socket)${inconsistency(a.connect.consistent, a.connect.problems)}`,
    baseline: `idle ${ms(a.idle.worst)}`,
    ratio: `${(a.connect.healthz.worst / a.idle.worst).toFixed(1)}× idle`,
    target: '≤ 250 ms',
    met: verdict(a.connect.healthz.worst <= 250, a.connect.consistent),
  });
}

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const machine =
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (${((performance.now() - started) / 1000).toFixed(0)} s) on ${cpu}, ` +
  `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}` +
  (pg ? `, PostgreSQL ${pg.version}` : ', no PostgreSQL') +
  '. The load generator runs on the same machine and shares its cores with the servers it measures; ' +
  `${BENCH_APP_ENV_NOTE}` +
  (amplificationRan
    ? `; the amplification rows keep the default settings but ${Object.entries(AMPLIFICATION_APP_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`
    : '') +
  '. Baselines run in the same run, under the same load.';
const table = [
  machine,
  '',
  '| benchmark | measured | baseline | ratio | target | met |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.benchmark} | ${r.measured} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`),
].join('\n');

console.log(`\n${table}\n`);
if (flags.writeReadme) {
  const readmePath = new URL('../../README.md', import.meta.url);
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const updated = `${readme.slice(0, readme.indexOf(start) + start.length)}\n${table}\n${readme.slice(readme.indexOf(end))}`;
    writeFileSync(readmePath, updated);
    log('README.md updated between the bench markers.');
  } else {
    log('README.md has no bench markers: the table above was not written into it.');
  }
} else {
  log(flags.only ? 'Only some benchmarks ran: README.md left as it is.' : 'README.md left as it is (--no-readme).');
}
process.exit(0);
