/**
 * 8. Amplification: what one small change costs on a large schedule watched in many zones. A
 * schedule of 2,000 slots (added through the host's add route) is watched by 64 sockets, each with
 * a different `tz` cookie (64 distinct IANA zones, so 64 distinct views). Measured:
 *  - the 64 sockets connecting at once: the worst /healthz latency while they are served;
 *  - the host adding one slot (the 2,001st, through the dashboard's htmx form): the worst /healthz
 *    latency while the push goes out, and the bytes each socket receives for it.
 * /healthz is polled every 5 ms by a client in a process of its own (lib/healthz-poller.ts).
 * Baselines from the same run: the worst /healthz latency over as long a window with nothing going
 * on (the 64 sockets open and idle), and the bytes per socket of the push for one booking.
 *
 * The app runs with its default settings except the cap on slots per schedule, set to exactly
 * 2,001 so that the added slot fits, and the sockets per address, raised for the set-up (all 64
 * sockets and the warm-up come from 127.0.0.1).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalZone } from '../../src/domain/time.ts';
import { type Consistent, measureConsistently } from './lib/consistency.ts';
import { type HealthzWindow, startHealthzPoller } from './lib/healthz-poller.ts';
import { request } from './lib/http.ts';
import { allStarted, startAppProcess, watchdog } from './lib/processes.ts';
import { dayOfInstant } from '../../src/domain/slot-calendar.ts';
import { createScheduleWithSlots, dateAhead } from './lib/schedule.ts';
import { sleep } from './lib/stats.ts';
import { type Settled, startSwarm } from './lib/swarm.ts';

const SLOTS = 2000;
/** The whole benchmark: past this its processes are stopped. */
const TIME_LIMIT_MS = 5 * 60_000;

/** The app's environment for this benchmark: defaults but for these two. */
export const AMPLIFICATION_APP_ENV: Record<string, string> = {
  MAX_SLOTS_PER_SCHEDULE: String(SLOTS + 1),
  WS_MAX_SOCKETS_PER_ADDRESS: '1000',
};

/** 64 zones, each a different view: offsets from −10 h to +13 h, half-hour and 45-minute ones included. */
export const ZONES_64 = [
  'Pacific/Honolulu',
  'America/Anchorage',
  'America/Los_Angeles',
  'America/Vancouver',
  'America/Denver',
  'America/Phoenix',
  'America/Edmonton',
  'America/Chicago',
  'America/Winnipeg',
  'America/Mexico_City',
  'America/New_York',
  'America/Toronto',
  'America/Bogota',
  'America/Lima',
  'America/Halifax',
  'America/Caracas',
  'America/Santiago',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'Atlantic/Azores',
  'Atlantic/Reykjavik',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Africa/Casablanca',
  'Africa/Lagos',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Amsterdam',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Africa/Johannesburg',
  'Africa/Cairo',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Istanbul',
  'Europe/Moscow',
  'Africa/Nairobi',
  'Asia/Tehran',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Dhaka',
  'Asia/Yangon',
  'Asia/Bangkok',
  'Asia/Jakarta',
  'Asia/Singapore',
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Manila',
  'Australia/Perth',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Australia/Darwin',
  'Australia/Adelaide',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Fiji',
];

export interface AmplificationResult {
  slots: number;
  sockets: number;
  connect: { healthz: HealthzWindow; bytesPerSocket: number; consistent: boolean; problems: string[] };
  add: {
    healthz: HealthzWindow;
    bytesPerSocket: number;
    missing: number;
    closed: (number | null)[];
    consistent: boolean;
    problems: string[];
  };
  /** Baselines. */
  idle: HealthzWindow;
  booking: { healthz: HealthzWindow; bytesPerSocket: number; missing: number };
}

/** Inconsistent: a window in which the poller got no answer at all, or one that failed. */
function checkWindow(w: HealthzWindow): string[] {
  const problems: string[] = [];
  if (w.latencies.length === 0) problems.push('no /healthz answer in the window');
  if (w.errors > 0) problems.push(`${w.errors} /healthz requests failed`);
  return problems;
}

const checkPush = (p: { healthz: HealthzWindow; settled: Settled }) => checkWindow(p.healthz);

export async function benchAmplification(
  log: (line: string) => void,
  databaseUrl?: string,
): Promise<AmplificationResult> {
  const zones = new Set(ZONES_64.map((z) => canonicalZone(z)));
  if (ZONES_64.length !== 64 || zones.size !== 64 || zones.has(null))
    throw new Error('the 64 zones are not 64 distinct zones the app knows');

  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-bench-amplification-'));
  const app = await startAppProcess(
    { ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir }), ...AMPLIFICATION_APP_ENV },
    { timeoutMs: 60_000 },
  );
  // Started together, so that none is left running if another fails to start.
  const [poller, swarm] = await allStarted([startHealthzPoller(app.origin), startSwarm()] as const).catch(
    async (error: unknown) => {
      await app.stop();
      throw error;
    },
  );
  const callOff = watchdog('amplification', TIME_LIMIT_MS, () => [app.child, poller.child, swarm.child], log);
  const liveUrl = (publicId: string) => `${app.origin.replace('http', 'ws')}/s/${publicId}/live`;
  const addSlot = (adminKey: string, date: string, notes: string) =>
    request(app.origin, `/admin/${adminKey}/slots`, {
      form: { date, start: '12:00', end: '12:15', split: '0', notes },
      htmx: true,
      readBody: false,
    });

  try {
    // Warm-up, not measured: connects, an add, a booking, on a small schedule.
    const small = await createScheduleWithSlots(app.origin, { count: 95, firstDate: dateAhead(30) });
    await swarm.open({ url: liveUrl(small.publicId), origin: app.origin, zones: ZONES_64.slice(0, 8), count: 8 });
    await addSlot(small.adminKey, dateAhead(40), 'warm-up');
    await request(app.origin, `/s/${small.publicId}/slots/${small.slotIds[0]}/claim`, {
      form: { name: 'Warm', email: '' },
      htmx: true,
    });
    await sleep(300);
    await swarm.close();

    const firstDate = dateAhead(60);
    const schedule = await createScheduleWithSlots(app.origin, { count: SLOTS, firstDate });
    // The sockets' pages show the day the added slot (12:00 UTC on addDate) falls on in their zone:
    // a booking page shows one day, and a change reaches the pages it concerns.
    const addDate = dateAhead(120);
    const addAt = new Date(`${addDate}T12:00:00Z`);
    /** The added slot: the only one on addDate (the schedule's zone is UTC), found on the dashboard. */
    const addedSlotId = async () => {
      const body = (await request(app.origin, `/admin/${schedule.adminKey}?show=all`)).body;
      const at = body.indexOf(`id="day-${addDate}-section"`);
      return at < 0 ? undefined : /id="slot-([0-9a-f-]{36})"/.exec(body.slice(at))?.[1];
    };
    const urlsByZone = Object.fromEntries(
      ZONES_64.map((zone) => [zone, `${liveUrl(schedule.publicId)}?day=${dayOfInstant(addAt, zone)}`]),
    );
    log(`  amplification: ${SLOTS} slots ready`);

    // 1. 64 sockets in 64 zones connecting at once to the 2,000-slot schedule.
    const connect = await measureConsistently(
      'amplification connect',
      async (attempt) => {
        if (attempt > 1) {
          await swarm.close();
          // Full states rendered for the last attempt are kept a few seconds (the feed's
          // snapshot): wait them out, so this attempt measures connecting as the first did.
          await sleep(11_000);
        }
        const { result, healthz } = await poller.during(async () => {
          await swarm.open({
            url: liveUrl(schedule.publicId),
            urlsByZone,
            origin: app.origin,
            zones: ZONES_64,
            count: 64,
            batch: 64,
          });
          return swarm.settle({ quietMs: 200 });
        });
        return { healthz, settled: result };
      },
      checkPush,
      log,
    );
    log(
      `  amplification connect: worst /healthz ${connect.value.healthz.worst.toFixed(1)} ms over ${connect.value.healthz.latencies.length} polls, ${(Math.max(...connect.value.settled.bytes) / 1024).toFixed(1)} KB per socket`,
    );

    await sleep(500);
    const idle = await poller.idle(Math.min(5000, Math.max(1000, connect.value.healthz.windowMs)));

    // 2. The host adds one slot (the 2,001st); each socket's push is marked by the slot's notes.
    let added: string | null = null;
    const add: Consistent<{ healthz: HealthzWindow; settled: Settled }> = await measureConsistently(
      'amplification add',
      async () => {
        if (added) {
          // The cap leaves room for one added slot: take the last attempt's away first.
          const id = await addedSlotId();
          if (id)
            await request(app.origin, `/admin/${schedule.adminKey}/slots/${id}/delete`, {
              form: { delete: '1' },
              readBody: false,
            });
          await swarm.mark(null);
          await swarm.settle({ quietMs: 500 });
        }
        const notes = `bench-added-${randomBytes(6).toString('hex')}`;
        added = notes;
        await swarm.mark(notes);
        const { result, healthz } = await poller.during(async () => {
          const answer = await addSlot(schedule.adminKey, addDate, notes);
          if (answer.status !== 200) throw new Error(`adding the ${SLOTS + 1}st slot answered ${answer.status}`);
          return swarm.settle({ quietMs: 300 });
        });
        return { healthz, settled: result };
      },
      checkPush,
      log,
    );
    const addBytes = Math.max(...add.value.settled.bytes);
    log(
      `  amplification add: worst /healthz ${add.value.healthz.worst.toFixed(1)} ms over ${add.value.healthz.latencies.length} polls; ${(addBytes / 1024).toFixed(1)} KB per socket (most), ${add.value.settled.missing} sockets without it`,
    );

    // Baseline: one booking on the same schedule (the added slot, on the day the pages show), the
    // push of one changed slot.
    await sleep(500);
    const slotId = await addedSlotId();
    if (!slotId) throw new Error('the added slot is not on the dashboard');
    await swarm.mark(`slot-${slotId}`);
    const booking = await poller.during(async () => {
      const answer = await request(app.origin, `/s/${schedule.publicId}/slots/${slotId}/claim`, {
        form: { name: 'Bench', email: '' },
        htmx: true,
        readBody: false,
      });
      if (answer.status !== 200) throw new Error(`the baseline booking answered ${answer.status}`);
      return swarm.settle({ quietMs: 300 });
    });
    const bookingBytes = Math.max(...booking.result.bytes);
    log(
      `  amplification baseline: idle worst /healthz ${idle.worst.toFixed(1)} ms; a booking's push ${(bookingBytes / 1024).toFixed(1)} KB per socket, worst /healthz ${booking.healthz.worst.toFixed(1)} ms`,
    );

    return {
      slots: SLOTS,
      sockets: 64,
      connect: {
        healthz: connect.value.healthz,
        bytesPerSocket: Math.max(...connect.value.settled.bytes),
        consistent: connect.consistent,
        problems: connect.problems,
      },
      add: {
        healthz: add.value.healthz,
        bytesPerSocket: addBytes,
        missing: add.value.settled.missing,
        closed: add.value.settled.closed,
        consistent: add.consistent,
        problems: add.problems,
      },
      idle,
      booking: { healthz: booking.healthz, bytesPerSocket: bookingBytes, missing: booking.result.missing },
    };
  } finally {
    callOff();
    await Promise.all([app.stop(), poller.stop(), swarm.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
