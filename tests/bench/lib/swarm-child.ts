/**
 * The viewer swarm's process (see swarm.ts): many WebSocket viewers of one page, and for each what
 * it has received: bytes since a mark, when a marker first arrived, and which slots it has been
 * shown as booked. Parsing the pushes here keeps that work off the process timing the requests.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { monotonicMs, serveParent } from './child.ts';
import { sleep } from './stats.ts';

interface Viewer {
  socket: WebSocket;
  bytes: number;
  messages: number;
  markerAt: number;
  lastMessageAt: number;
  closeCode: number | null;
  /** Slot id → when this viewer was first shown it booked (monotonic ms). */
  booked: Map<string, number>;
  /** The zone it reads in (its `tz` cookie), if any. */
  zone: string | null;
}

let viewers: Viewer[] = [];
let marker: Buffer | null = null;
let trackBooked = false;
/** How busy this process was since the last open: its own delays are in what it measures. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let cpuAtOpen = process.cpuUsage();

/**
 * How the visitor's slot item marks a taken slot (views/schedule.tsx `VisitorSlotItem`): its
 * `<li id="slot-…">` has class `slot--booked` (or `slot--mine` for the booker, whose page this is
 * not). Results are cached by message text: a thousand viewers in three zones get three texts.
 */
const bookedCache = new Map<string, string[]>();
function bookedIn(text: string): string[] {
  if (!text.includes('slot--booked') && !text.includes('slot--mine')) return [];
  let ids = bookedCache.get(text);
  if (ids) return ids;
  ids = [];
  for (const [tag] of text.matchAll(/<li\b[^>]*>/g)) {
    const id = /\bid="slot-([0-9a-f-]{36})"/.exec(tag)?.[1];
    const classes = /\bclass="([^"]*)"/.exec(tag)?.[1]?.split(/\s+/) ?? [];
    if (id && (classes.includes('slot--booked') || classes.includes('slot--mine'))) ids.push(id);
  }
  if (bookedCache.size > 5000) bookedCache.clear();
  bookedCache.set(text, ids);
  return ids;
}

function onMessage(viewer: Viewer, data: Buffer) {
  const at = monotonicMs();
  viewer.bytes += data.length;
  viewer.messages++;
  viewer.lastMessageAt = at;
  if (marker && Number.isNaN(viewer.markerAt) && data.indexOf(marker) !== -1) viewer.markerAt = at;
  if (trackBooked) {
    for (const id of bookedIn(data.toString('utf8'))) if (!viewer.booked.has(id)) viewer.booked.set(id, at);
  }
}

interface OpenArgs {
  url: string;
  /** Sent as each socket's Origin header (the app checks it). */
  origin?: string;
  /** Zone per socket, round robin, sent as the `tz` cookie; none for the bare server. */
  zones: string[];
  /** A page's own socket URL per zone (each zone's page shows its own day), instead of `url`. */
  urlsByZone?: Record<string, string>;
  count: number;
  /** Sockets opened at once; the next batch waits for this one. */
  batch: number;
  /** Wait for each socket's first message (the app's full state), not only its open. */
  waitFirstMessage: boolean;
  trackBooked: boolean;
  timeoutMs: number;
}

async function open(args: OpenArgs) {
  trackBooked = args.trackBooked;
  bookedCache.clear();
  loopDelay.reset();
  cpuAtOpen = process.cpuUsage();
  const started = monotonicMs();
  const deadline = Date.now() + args.timeoutMs;
  const openOne = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const zone = args.zones.length ? args.zones[index % args.zones.length]! : null;
      const headers: Record<string, string> = {};
      if (args.origin) headers.origin = args.origin;
      if (zone) headers.cookie = `tz=${encodeURIComponent(zone)}`;
      const url = (zone && args.urlsByZone?.[zone]) || args.url;
      const socket = new WebSocket(url, { headers, perMessageDeflate: false });
      const viewer: Viewer = {
        socket,
        bytes: 0,
        messages: 0,
        markerAt: Number.NaN,
        lastMessageAt: Number.NaN,
        closeCode: null,
        booked: new Map(),
        zone,
      };
      viewers.push(viewer);
      const timer = setTimeout(
        () => reject(new Error(`viewer ${index} not ready within ${args.timeoutMs} ms`)),
        Math.max(0, deadline - Date.now()),
      );
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.on('message', (data: Buffer) => {
        onMessage(viewer, data);
        if (args.waitFirstMessage && viewer.messages === 1) done();
      });
      socket.once('open', () => {
        if (!args.waitFirstMessage) done();
      });
      socket.once('close', (code) => {
        viewer.closeCode = code;
        clearTimeout(timer);
        reject(new Error(`viewer ${index} closed (${code}) before it was ready`));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  const first = viewers.length;
  for (let start = 0; start < args.count; start += args.batch) {
    await Promise.all(Array.from({ length: Math.min(args.batch, args.count - start) }, (_, i) => openOne(start + i)));
  }
  const mine = viewers.slice(first);
  return { readyMs: monotonicMs() - started, firstBytes: mine.map((v) => v.bytes) };
}

/** Starts counting afresh: bytes from now, and when `markerText` (if any) first arrives. */
function mark(args: { marker: string | null }) {
  marker = args.marker === null ? null : Buffer.from(args.marker);
  for (const v of viewers) {
    v.bytes = 0;
    v.messages = 0;
    v.markerAt = Number.NaN;
  }
  return true;
}

/**
 * Waits until every open viewer has received the marker (or, without one, any message) since the
 * mark, then until no viewer has received anything for `quietMs`; gives up after `timeoutMs`.
 */
async function settle(args: { timeoutMs: number; quietMs: number }) {
  const deadline = Date.now() + args.timeoutMs;
  const arrived = (v: Viewer) => (marker ? !Number.isNaN(v.markerAt) : v.messages > 0);
  while (Date.now() < deadline && viewers.some((v) => v.closeCode === null && !arrived(v))) await sleep(2);
  for (;;) {
    const last = Math.max(...viewers.map((v) => (Number.isNaN(v.lastMessageAt) ? 0 : v.lastMessageAt)));
    if (monotonicMs() - last >= args.quietMs || Date.now() >= deadline) break;
    await sleep(Math.min(args.quietMs, 20));
  }
  return {
    bytes: viewers.map((v) => v.bytes),
    messages: viewers.map((v) => v.messages),
    markerAt: viewers.map((v) => v.markerAt),
    missing: viewers.filter((v) => !arrived(v)).length,
    closed: viewers.filter((v) => v.closeCode !== null).map((v) => v.closeCode),
    lastMessageAt: Math.max(...viewers.map((v) => (Number.isNaN(v.lastMessageAt) ? 0 : v.lastMessageAt))),
  };
}

/**
 * Waits until every viewer has been shown each of `ids` booked (with `idsByZone`, each of those its
 * zone's page shows); when each got its last one.
 */
async function converge(args: { ids: string[]; idsByZone?: Record<string, string[]>; timeoutMs: number }) {
  const deadline = Date.now() + args.timeoutMs;
  const idsOf = (v: Viewer) => (v.zone && args.idsByZone?.[v.zone]) || args.ids;
  const complete = (v: Viewer) => idsOf(v).every((id) => v.booked.has(id));
  let pending = viewers.filter((v) => !complete(v));
  while (Date.now() < deadline && pending.some((v) => v.closeCode === null)) {
    await sleep(10);
    pending = pending.filter((v) => !complete(v));
  }
  return {
    doneAt: viewers.map((v) => (complete(v) ? Math.max(...idsOf(v).map((id) => v.booked.get(id)!)) : Number.NaN)),
    missing: viewers.filter((v) => !complete(v)).length,
    closed: viewers.filter((v) => v.closeCode !== null).map((v) => v.closeCode),
    ...busy(),
  };
}

function busy() {
  const cpu = process.cpuUsage(cpuAtOpen);
  return { cpuMs: (cpu.user + cpu.system) / 1000, loopDelayMaxMs: loopDelay.max / 1e6 };
}

async function close() {
  await Promise.all(
    viewers.map(
      (v) =>
        new Promise<void>((resolve) => {
          if (v.socket.readyState === WebSocket.CLOSED) return resolve();
          v.socket.once('close', () => resolve());
          v.socket.terminate();
        }),
    ),
  );
  viewers = [];
  marker = null;
  bookedCache.clear();
  return true;
}

serveParent({ open, mark, settle, converge, close });
