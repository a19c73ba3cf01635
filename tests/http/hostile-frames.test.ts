/**
 * Hostile WebSocket traffic, table-driven, written byte by byte: garbage and oversized frames,
 * binary, invalid UTF-8, protocol violations, floods, broken and half-open handshakes. Each is
 * ignored or its socket closed (the expected close code or status is part of the table), and the
 * server is unaffected: /healthz answers, a viewer on the same schedule still receives a booking,
 * and every socket the cases opened is released. Run against the test server and against the
 * built app process (which also proves the WS_* variables reach the server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { slotId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { request } from '../bench/lib/http.ts';
import { type BenchSchedule, createBenchSchedule } from '../bench/lib/schedule.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { type AppProcess, startAppProcess } from '../helpers/process.ts';
import { SETUP_TIMEOUT_MS, STORY_TIMEOUT_MS, WAIT_MS, within } from '../helpers/patience.ts';
import {
  clientFrame,
  closePayload,
  OPCODE,
  type Outcome,
  openRaw,
  type RawPeer,
  upgradeRequest,
} from '../helpers/raw-websocket.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

/** WS_MAX_PAYLOAD's default, which both servers here run with. */
const MAX_PAYLOAD = 4096;

const closed = (code: number): Outcome => ({ kind: 'closed', code });
const OPEN: Outcome = { kind: 'open' };
const GONE: Outcome = { kind: 'gone' };
const refused = (status: number): Outcome => ({ kind: 'refused', status });

interface FrameCase {
  name: string;
  /** Bytes written on an open socket once it has received its full state. */
  bytes: () => Buffer | Buffer[];
  expected: Outcome;
  /** Written, then the connection is cut at once (the outcome is only that the server copes). */
  cut?: boolean;
}

const text = (payload: Buffer | string, options = {}) => clientFrame(OPCODE.text, payload, options);
const times = (n: number, frame: () => Buffer) => Buffer.concat(Array.from({ length: n }, frame));

/** Pages never send anything: any message closes with 1008; ws itself answers malformed frames. */
const frameCases: FrameCase[] = [
  { name: 'garbage text', bytes: () => text('hello?'), expected: closed(1008) },
  {
    name: 'HTML and script as text',
    bytes: () => text('<script>alert(1)</script><img src=x onerror=alert(2)>'),
    expected: closed(1008),
  },
  {
    name: 'what htmx ws-send would send',
    bytes: () => text('{"HEADERS":{"HX-Request":"true"},"name":"Ann"}'),
    expected: closed(1008),
  },
  { name: 'SQL metacharacters', bytes: () => text("'; DROP TABLE slots; --"), expected: closed(1008) },
  { name: 'control characters and NUL', bytes: () => text('\u0000\u0007\u001b[2J\r\n'), expected: closed(1008) },
  { name: 'empty text frame', bytes: () => text(''), expected: closed(1008) },
  { name: 'text of exactly maxPayload bytes', bytes: () => text('x'.repeat(MAX_PAYLOAD)), expected: closed(1008) },
  { name: 'text one byte over maxPayload', bytes: () => text('x'.repeat(MAX_PAYLOAD + 1)), expected: closed(1009) },
  { name: 'text of 1 MiB', bytes: () => text(Buffer.alloc(1024 * 1024, 0x61)), expected: closed(1009) },
  { name: 'a header claiming 2^62 bytes', bytes: () => text('', { declaredLength: 2 ** 62 }), expected: closed(1009) },
  { name: 'a header claiming 2^31 bytes', bytes: () => text('', { declaredLength: 2 ** 31 }), expected: closed(1009) },
  {
    name: 'a message over maxPayload in 64 fragments',
    bytes: () => [
      text('y'.repeat(100), { fin: false }),
      ...Array.from({ length: 63 }, () => clientFrame(OPCODE.continuation, 'y'.repeat(100), { fin: false })),
    ],
    expected: closed(1009),
  },
  {
    name: 'binary frame',
    bytes: () => clientFrame(OPCODE.binary, Buffer.from([0, 1, 2, 255])),
    expected: closed(1008),
  },
  { name: 'empty binary frame', bytes: () => clientFrame(OPCODE.binary), expected: closed(1008) },
  { name: 'invalid UTF-8 (0xff 0xfe)', bytes: () => text(Buffer.from([0xff, 0xfe])), expected: closed(1007) },
  { name: 'truncated UTF-8 sequence', bytes: () => text(Buffer.from([0x61, 0xe2, 0x82])), expected: closed(1007) },
  { name: 'overlong UTF-8 encoding of "/"', bytes: () => text(Buffer.from([0xc0, 0xaf])), expected: closed(1007) },
  {
    name: 'UTF-16 surrogate encoded in UTF-8',
    bytes: () => text(Buffer.from([0xed, 0xa0, 0x80])),
    expected: closed(1007),
  },
  {
    name: 'continuation frame with nothing to continue',
    bytes: () => clientFrame(OPCODE.continuation, 'z'),
    expected: closed(1002),
  },
  {
    name: 'new text frame inside a fragmented message',
    bytes: () => [text('a', { fin: false }), text('b')],
    expected: closed(1002),
  },
  { name: 'unmasked frame from a client', bytes: () => text('hi', { masked: false }), expected: closed(1002) },
  { name: 'reserved data opcode 0x3', bytes: () => clientFrame(0x3, 'x'), expected: closed(1002) },
  { name: 'reserved control opcode 0xB', bytes: () => clientFrame(0xb, 'x'), expected: closed(1002) },
  { name: 'RSV1 set (compression never negotiated)', bytes: () => text('x', { rsv: 4 }), expected: closed(1002) },
  { name: 'RSV2 and RSV3 set', bytes: () => text('x', { rsv: 3 }), expected: closed(1002) },
  {
    name: 'ping with a 126-byte payload',
    bytes: () => clientFrame(OPCODE.ping, Buffer.alloc(126)),
    expected: closed(1002),
  },
  { name: 'fragmented ping', bytes: () => clientFrame(OPCODE.ping, 'p', { fin: false }), expected: closed(1002) },
  {
    name: 'close frame with code 999',
    bytes: () => clientFrame(OPCODE.close, closePayload(999)),
    expected: closed(1002),
  },
  {
    name: 'close frame with reserved code 1005',
    bytes: () => clientFrame(OPCODE.close, closePayload(1005)),
    expected: closed(1002),
  },
  {
    name: 'close frame with a 1-byte payload',
    bytes: () => clientFrame(OPCODE.close, Buffer.from([3])),
    expected: closed(1002),
  },
  {
    name: 'close frame with an invalid UTF-8 reason',
    bytes: () => clientFrame(OPCODE.close, closePayload(1000, Buffer.from([0xff]))),
    expected: closed(1007),
  },
  {
    name: 'an HTTP request written on the open socket',
    bytes: () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    expected: closed(1002),
  },
  {
    name: '64 KiB of junk opening with a reserved opcode',
    bytes: () => Buffer.concat([Buffer.from([0x8f]), Buffer.alloc(65_535, 0xa5)]),
    expected: closed(1002),
  },
  { name: 'flood of 10,000 one-byte text frames', bytes: () => times(10_000, () => text('.')), expected: closed(1008) },
  {
    name: 'flood of 5,000 empty binary frames',
    bytes: () => times(5_000, () => clientFrame(OPCODE.binary)),
    expected: closed(1008),
  },
  // ws answers pings; one that asks faster than the answers leave (60 pending) is cut.
  { name: 'ten pings', bytes: () => times(10, () => clientFrame(OPCODE.ping, 'hi')), expected: OPEN },
  {
    name: 'flood of 2,000 pings in one write',
    bytes: () => times(2_000, () => clientFrame(OPCODE.ping, 'x'.repeat(125))),
    expected: GONE,
  },
  {
    name: 'flood of 2,000 unsolicited pongs',
    bytes: () => times(2_000, () => clientFrame(OPCODE.pong, 'x'.repeat(125))),
    expected: OPEN,
  },
  { name: 'a polite close', bytes: () => clientFrame(OPCODE.close, closePayload(1000, 'bye')), expected: closed(1000) },
  {
    name: 'half a frame, then the connection cut',
    bytes: () => text('x'.repeat(1000)).subarray(0, 20),
    expected: GONE,
    cut: true,
  },
];

interface HandshakeCase {
  name: string;
  /** The request bytes for the live route's URL (`url`) of the server at `origin`. */
  request: (url: string, origin: string, headers: Record<string, string>) => string;
  expected: Outcome;
}

const handshakeCases: HandshakeCase[] = [
  {
    name: 'half-open: headers that never finish',
    request: (url, origin, headers) => upgradeRequest(url, { origin, headers }).replace(/\r\n\r\n$/, '\r\n'),
    expected: { kind: 'pending' },
  },
  {
    name: 'no Sec-WebSocket-Key',
    request: (url, origin, headers) => upgradeRequest(url, { origin, headers, omit: ['Sec-WebSocket-Key'] }),
    expected: refused(400),
  },
  {
    name: 'a Sec-WebSocket-Key that is not 16 bytes',
    request: (url, origin, headers) =>
      upgradeRequest(url, { origin, headers: { ...headers, 'Sec-WebSocket-Key': 'short' } }),
    expected: refused(400),
  },
  {
    name: 'Sec-WebSocket-Version 99',
    request: (url, origin, headers) =>
      upgradeRequest(url, { origin, headers: { ...headers, 'Sec-WebSocket-Version': '99' } }),
    expected: refused(400),
  },
  // Version 8 (the last draft) is one ws still speaks: the socket opens like any other.
  {
    name: 'Sec-WebSocket-Version 8',
    request: (url, origin, headers) =>
      upgradeRequest(url, { origin, headers: { ...headers, 'Sec-WebSocket-Version': '8' } }),
    expected: OPEN,
  },
  {
    name: 'another site’s Origin',
    request: (url, _origin, headers) => upgradeRequest(url, { origin: 'https://evil.example', headers }),
    expected: refused(403),
  },
  { name: 'no Origin', request: (url, _origin, headers) => upgradeRequest(url, { headers }), expected: refused(403) },
  {
    name: 'Upgrade: h2c instead of websocket',
    request: (url, origin, headers) => upgradeRequest(url, { origin, headers: { ...headers, Upgrade: 'h2c' } }),
    expected: refused(400),
  },
  {
    name: 'upgrade to a schedule that does not exist',
    request: (url, origin, headers) =>
      upgradeRequest(url.replace(/\/s\/[a-z2-7]+\//, `/s/${'a'.repeat(32)}/`), { origin, headers }),
    expected: refused(404),
  },
  {
    name: 'upgrade to a page that is not live',
    request: (url, origin, headers) => upgradeRequest(url.replace(/\/live$/, ''), { origin, headers }),
    expected: refused(200),
  },
];

const HOSTILE_CASE_COUNT = frameCases.length + handshakeCases.length;

/** A server under test: its origin, a schedule on it, and what the test can see inside it. */
interface Target {
  origin: string;
  schedule: BenchSchedule;
  /** Live sockets the server counts for an address (the test server only). */
  openFrom?: (address: string) => number;
}

const addressOf = (index: number) => `192.0.2.${index + 1}`;

/**
 * Runs every case, each from its own client address, and leaves held (half-open) connections
 * open for the caller to check the server meanwhile. Returns what each case saw, by name.
 */
async function runCases(target: Target, held: RawPeer[]): Promise<Record<string, Outcome>> {
  const url = `${target.origin.replace('http', 'ws')}${paths.scheduleLive(target.schedule.publicId)}`;
  const seen: Record<string, Outcome> = {};
  let index = 0;
  for (const c of frameCases) {
    const headers = { 'X-Forwarded-For': addressOf(index++) };
    const peer = await openRaw(url, upgradeRequest(url, { origin: target.origin, headers }));
    // Subscribed: the full state has arrived.
    const ready = await peer.until(() => peer.frames.some((f) => f.opcode === OPCODE.text), WAIT_MS);
    if (!ready) throw new Error(`${c.name}: no full state (status ${peer.status()})`);
    for (const bytes of [c.bytes()].flat()) peer.send(bytes);
    if (c.cut) {
      peer.socket.end();
      await peer.ended;
      seen[c.name] = GONE;
    } else seen[c.name] = await peer.outcome();
    peer.destroy();
  }
  for (const c of handshakeCases) {
    const headers = { 'X-Forwarded-For': addressOf(index++) };
    const peer = await openRaw(url, c.request(url, target.origin, headers));
    // A half-open handshake is judged by what has not happened after a while: on a slow day more
    // is still pending, never less, so a short wait cannot turn a failure into a pass.
    seen[c.name] = await peer.outcome(c.expected.kind === 'pending' ? 500 : WAIT_MS);
    if (seen[c.name]!.kind === 'pending') held.push(peer);
    else peer.destroy();
  }
  return seen;
}

const expectedOutcomes = () => Object.fromEntries([...frameCases, ...handshakeCases].map((c) => [c.name, c.expected]));

/** After the cases: the server answers, and the viewer still gets the next booking. */
async function expectUnaffected(target: Target, viewer: LiveClient, slotIndex: number) {
  expect((await request(target.origin, '/healthz')).status).toBe(200);
  const slot = target.schedule.slotIds[slotIndex]!;
  const from = viewer.mark();
  const booked = await request(target.origin, `/s/${target.schedule.publicId}/slots/${slot}/claim`, {
    form: { name: 'Ann', email: '' },
    htmx: true,
  });
  expect(booked.status).toBe(200);
  await viewer.waitFor((m) => m.includes(`id="${slotId(slot)}"`) && m.includes('was just booked'), { from });
}

async function openViewer(target: Target): Promise<LiveClient> {
  const viewer = await connectLive(
    `${target.origin.replace('http', 'ws')}${paths.scheduleLive(target.schedule.publicId)}`,
    { origin: target.origin },
  );
  await viewer.waitFor((m) => m.includes('slot-'));
  return viewer;
}

describe.each(databaseKinds)(
  'hostile WebSocket traffic against the test server on %s',
  { timeout: STORY_TIMEOUT_MS },
  (kind) => {
    const database = useTestDatabase(kind, { max: 20 });
    let t: TestApp;
    let server: TestServer;
    const held: RawPeer[] = [];

    afterEach(async () => {
      for (const peer of held.splice(0)) peer.destroy();
      await t.live.close();
      await server.close();
    });

    it(`ignores or closes each of ${HOSTILE_CASE_COUNT} cases and stays unaffected`, async () => {
      t = createTestApp(database.current.db, { config: { trustProxy: true, bookingRateLimit: 1000 } });
      server = await startServer(t.app, { config: t.config });
      const schedule = await createBenchSchedule(server.origin, {
        firstDate: '2030-01-15',
        days: 1,
        start: '09:00',
        end: '11:00',
        split: 30,
      });
      const target: Target = { origin: server.origin, schedule, openFrom: (a) => t.live.sockets.openFrom(a) };
      const viewer = await openViewer(target);

      const seen = await runCases(target, held);
      console.log(`hostile WebSocket cases tried (${kind}): ${Object.keys(seen).length}`);
      expect(seen).toEqual(expectedOutcomes());

      // While a half-open handshake is still held: health, pushes, and every case's socket released.
      expect(held.length).toBe(1);
      await expectUnaffected(target, viewer, 0);
      await expect.poll(() => t.live.hub.size).toBe(1);
      for (let i = 0; i < HOSTILE_CASE_COUNT; i++) expect(target.openFrom!(addressOf(i))).toBe(0);
      expect(t.errors).toEqual([]);
      viewer.close();
    });
  },
);

describe('hostile WebSocket traffic against the built app process', { timeout: STORY_TIMEOUT_MS }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ipt-hostile-ws-'));
  let app: AppProcess;
  let target: Target;
  const held: RawPeer[] = [];
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    // Small limits, so this run also proves the WS_* variables reach the server.
    app = await startAppProcess({
      DATA_DIR: dataDir,
      TRUST_PROXY: 'true',
      WS_MAX_SOCKETS_PER_ADDRESS: '2',
      WS_HEARTBEAT_SECONDS: '1',
    });
    const schedule = await createBenchSchedule(app.origin, {
      firstDate: '2030-01-15',
      days: 1,
      start: '09:00',
      end: '11:00',
      split: 30,
    });
    target = { origin: app.origin, schedule };
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const peer of held) peer.destroy();
    for (const client of clients) client.close();
    const code = await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  it(`ignores or closes each of ${HOSTILE_CASE_COUNT} cases and stays unaffected`, async () => {
    const viewer = await openViewer(target);
    clients.push(viewer);
    const seen = await runCases(target, held);
    console.log(`hostile WebSocket cases tried (app process): ${Object.keys(seen).length}`);
    expect(seen).toEqual(expectedOutcomes());
    await expectUnaffected(target, viewer, 0);
    expect(app.child.exitCode).toBe(null);
  });

  it('closes the socket over WS_MAX_SOCKETS_PER_ADDRESS with 1013, per forwarded address', async () => {
    const url = `${app.origin.replace('http', 'ws')}${paths.scheduleLive(target.schedule.publicId)}`;
    const from = (address: string) => ({ origin: app.origin, headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < 2; i++) {
      const client = await connectLive(url, from('198.51.100.1'));
      clients.push(client);
      await client.waitFor((m) => m.includes('slot-'));
    }
    const over = await connectLive(url, from('198.51.100.1'));
    clients.push(over);
    expect((await over.closed).code).toBe(1013);
    const other = await connectLive(url, from('198.51.100.2'));
    clients.push(other);
    await other.waitFor((m) => m.includes('slot-'));
  });

  it('reaps a socket that does not answer pings within WS_HEARTBEAT_SECONDS × 2, and keeps one that does', async () => {
    const url = `${app.origin.replace('http', 'ws')}${paths.scheduleLive(target.schedule.publicId)}`;
    const silent = await connectLive(url, {
      origin: app.origin,
      autoPong: false,
      headers: { 'x-forwarded-for': '198.51.100.3' },
    });
    const answering = await connectLive(url, { origin: app.origin, headers: { 'x-forwarded-for': '198.51.100.4' } });
    clients.push(silent, answering);
    // Reaped within a few seconds here; with the default (30 s) it would take a minute.
    expect(
      await within(
        silent.closed.then((c) => c.code),
        30_000,
        'not reaped within 30 s',
      ),
    ).toBe(1006);
    expect(answering.socket.readyState).toBe(answering.socket.OPEN);
    await expectUnaffected(target, answering, 1);
  });
});
