/**
 * npm run bench: every benchmark with its baseline from the same run, printed and written into the
 * README between the bench markers, with the machine it ran on. PostgreSQL parts use
 * BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres if
 * it answers); they create their own databases and drop them. Rate limits and the live-socket
 * limits per address are set out of the way (BENCH_APP_ENV).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import { buildServer } from '../../src/tools/build.mjs';
import { benchBookings, type BookingsResult } from './bookings.ts';
import { benchColdStart } from './coldstart.ts';
import { benchFanout } from './fanout.ts';
import { benchMemory } from './memory.ts';
import { benchPayload } from './payload.ts';
import { benchRender } from './render.ts';
import { BENCH_APP_ENV_NOTE } from './lib/processes.ts';
import { kb, ms } from './lib/stats.ts';

const log = (line: string) => console.log(line);
const started = performance.now();

async function findPostgres(): Promise<{ url: string; version: string } | null> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    const [row] = await sql`SHOW server_version`;
    return { url, version: String(row!.server_version).split(' ')[0]! };
  } catch {
    return null;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** A fresh database on the benchmark server, dropped by the returned function. */
async function scratchDatabase(baseUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
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
const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');

await buildServer();
log(`App processes: ${BENCH_APP_ENV_NOTE}`);
const pg = await findPostgres();
log(pg ? `PostgreSQL ${pg.version} at ${new URL(pg.url).host}` : 'PostgreSQL not reachable: its parts are skipped');

log('6. JavaScript and CSS of a first visit');
const payload = await benchPayload();
row({ benchmark: 'JavaScript of a first visit (htmx + ws extension + app.js), brotli', measured: kb(payload.js.brotli), baseline: `htmx alone ${kb(payload.htmxBrotli)}`, ratio: `${(payload.js.brotli / payload.htmxBrotli).toFixed(2)}×`, target: '≤ 25 KB', met: verdict(payload.js.brotli <= 25 * 1024) });
row({ benchmark: 'same, gzip', measured: kb(payload.js.gzip), baseline: `${kb(payload.js.raw)} uncompressed`, ratio: '–', target: '≤ 25 KB', met: verdict(payload.js.gzip <= 25 * 1024) });
row({ benchmark: 'CSS, brotli (gzip)', measured: `${kb(payload.css.brotli)} (${kb(payload.css.gzip)})`, baseline: `${kb(payload.css.raw)} uncompressed`, ratio: '–', target: '–', met: '–' });

log('3. Scheduling page with 500 slots');
const render = await benchRender();
row({ benchmark: 'Render, 500-slot scheduling page, p50 (p99)', measured: `${ms(render.render.p50)} (${ms(render.render.p99)})`, baseline: `same HTML from memory ${ms(render.baseline.p50)}`, ratio: `${(render.render.p50 / render.baseline.p50).toFixed(1)}×`, target: 'p50 ≤ 10 ms', met: verdict(render.render.p50 <= 10) });
row({ benchmark: 'Bytes of that page: raw / gzip / brotli', measured: `${kb(render.bytes.raw)} / ${kb(render.bytes.gzip)} / ${kb(render.bytes.brotli)}`, baseline: '–', ratio: '–', target: '–', met: '–' });

log('5. Cold start');
let coldDb: Awaited<ReturnType<typeof scratchDatabase>> | null = null;
if (pg) coldDb = await scratchDatabase(pg.url, `ipt_bench_cold_${process.pid}`);
const cold = await benchColdStart(coldDb?.url ?? null, log);
await coldDb?.drop();
row({ benchmark: 'Cold start, `npm start` → first response, persisted embedded', measured: ms(cold.persistedEmbedded), baseline: `bare Node server via npm ${ms(cold.baseline)}`, ratio: `${(cold.persistedEmbedded / cold.baseline).toFixed(1)}×`, target: '≤ 1 s', met: verdict(cold.persistedEmbedded <= 1000) });
row({ benchmark: 'Cold start, new embedded data folder', measured: ms(cold.newEmbedded), baseline: ms(cold.baseline), ratio: `${(cold.newEmbedded / cold.baseline).toFixed(1)}×`, target: '≤ 5 s', met: verdict(cold.newEmbedded <= 5000) });
if (cold.postgres !== null) row({ benchmark: 'Cold start, PostgreSQL', measured: ms(cold.postgres), baseline: ms(cold.baseline), ratio: `${(cold.postgres / cold.baseline).toFixed(1)}×`, target: '–', met: '–' });

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
  const base = `/healthz ${b.healthzPerSecond.toFixed(0)}/s` + (b.pgbenchTps ? `; pgbench ${b.pgbenchTps.toFixed(0)}/s` : '');
  const ratio = `${(b.bookingsPerSecond / b.healthzPerSecond).toFixed(2)}× healthz` + (b.pgbenchTps ? `, ${(b.bookingsPerSecond / b.pgbenchTps).toFixed(2)}× pgbench` : '');
  row({
    benchmark: `Bookings per second over HTTP, ${b.database} (32 clients, keep-alive); double bookings`,
    measured: `${b.bookingsPerSecond.toFixed(0)}/s; ${b.doubleBookings} (contention: ${b.contention.won} of ${b.contention.requests} requests won ${b.contention.slots} slots)`,
    baseline: base,
    ratio,
    target: b.database === 'PostgreSQL' ? '≥ 1,000/s, 0 double' : '0 double',
    met: verdict((b.database !== 'PostgreSQL' || b.bookingsPerSecond >= 1000) && b.doubleBookings === 0 && b.contention.won === b.contention.slots),
  });
}

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

log('4. Memory per idle viewer socket');
const memory = await benchMemory([1000, 10000], log);
for (const m of memory) {
  row({
    benchmark: `RSS per idle viewer socket, ${m.sockets.toLocaleString('en')} sockets`,
    measured: kb(m.appBytesPerSocket),
    baseline: `bare ws ${kb(m.bareBytesPerSocket)}`,
    ratio: `${(m.appBytesPerSocket / m.bareBytesPerSocket).toFixed(1)}×`,
    target: '≤ 25 KB',
    met: verdict(m.appBytesPerSocket <= 25 * 1024),
  });
}

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
const machine =
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` (${((performance.now() - started) / 1000).toFixed(0)} s) on ${cpu}, ` +
  `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}` +
  (pg ? `, PostgreSQL ${pg.version}` : ', no PostgreSQL') +
  '. The load generator runs on the same machine and shares its cores with the servers it measures; ' +
  `${BENCH_APP_ENV_NOTE}. Baselines run in the same run, under the same load.`;
const table = [
  machine,
  '',
  '| benchmark | measured | baseline | ratio | target | met |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.benchmark} | ${r.measured} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`),
].join('\n');

console.log(`\n${table}\n`);
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
process.exit(0);
