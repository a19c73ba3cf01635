/**
 * A WebSocket peer written byte by byte over TCP, for sending what no well-behaved client sends:
 * unmasked or reserved frames, lengths that lie, invalid UTF-8, half-finished handshakes. It
 * answers the server's pings as a browser does, so only the frames a test writes decide its fate.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WAIT_MS } from './patience.ts';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface FrameOptions {
  fin?: boolean;
  /** RSV1..3 as bits 4, 2, 1. */
  rsv?: number;
  /** Clients must mask; `false` breaks that rule. */
  masked?: boolean;
  /** The length written in the header, when it should lie about the payload. */
  declaredLength?: number;
}

/** One client-to-server frame. */
export function clientFrame(
  opcode: number,
  payload: Buffer | string = Buffer.alloc(0),
  options: FrameOptions = {},
): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const length = options.declaredLength ?? data.length;
  const masked = options.masked ?? true;
  const maskBit = masked ? 0x80 : 0;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
  let header: Buffer;
  if (length < 126) header = Buffer.from([first, maskBit | length]);
  else if (length < 65536) {
    header = Buffer.from([first, maskBit | 126, 0, 0]);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.from([first, maskBit | 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, data]);
  const key = randomBytes(4);
  const body = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) body[i] = data[i]! ^ key[i % 4]!;
  return Buffer.concat([header, key, body]);
}

/** A close frame's payload: the code and an optional reason. */
export function closePayload(code: number, reason: Buffer | string = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code);
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason) : reason]);
}

/** The text of an HTTP/1.1 upgrade request; `omit` drops default headers, `headers` add or replace. */
export function upgradeRequest(
  url: string,
  options: { origin?: string; headers?: Record<string, string>; omit?: string[] } = {},
): string {
  const target = new URL(url);
  const headers: Record<string, string> = {
    Host: target.host,
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    ...(options.origin ? { Origin: options.origin } : {}),
    ...options.headers,
  };
  for (const name of options.omit ?? []) delete headers[name];
  return `GET ${target.pathname}${target.search} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/** What a raw peer saw in the end. */
export type Outcome =
  | { kind: 'closed'; code: number } // a close frame arrived
  | { kind: 'gone' } // the connection ended with no close frame
  | { kind: 'open' } // it still answers a ping
  | { kind: 'refused'; status: number } // the handshake was answered with another status
  | { kind: 'pending' }; // nothing answered at all (yet)

export interface RawPeer {
  socket: Socket;
  /** The handshake's status once answered (0 before). */
  status(): number;
  frames: ServerFrame[];
  ended: Promise<void>;
  send(bytes: Buffer | string): void;
  /** Resolves once `match` holds for the peer (checked on every change) or after `timeoutMs` with false. */
  until(match: () => boolean, timeoutMs: number): Promise<boolean>;
  /**
   * After the frames of a test: a close frame or the end of the connection if either comes within
   * `timeoutMs`, else whether the socket still answers a ping.
   */
  outcome(timeoutMs?: number): Promise<Outcome>;
  destroy(): void;
}

/** Opens a TCP connection to `url`'s host and writes `request` (all of it, or the part a test wants). */
export async function openRaw(url: string, request: string): Promise<RawPeer> {
  const target = new URL(url);
  const socket = connect(Number(target.port), target.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {}); // resets are an outcome here, not a failure
  let status = 0;
  let pending = Buffer.alloc(0);
  let headersDone = false;
  let isEnded = false;
  const frames: ServerFrame[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const parseFrames = () => {
    for (;;) {
      if (pending.length < 2) return;
      const opcode = pending[0]! & 0x0f;
      let length = pending[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      if (pending.length < offset + length) return;
      const payload = pending.subarray(offset, offset + length);
      pending = pending.subarray(offset + length);
      frames.push({ opcode, payload });
      if (opcode === OPCODE.ping && !socket.destroyed) socket.write(clientFrame(OPCODE.pong, payload));
    }
  };

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    if (!headersDone) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(pending.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      headersDone = true;
      pending = pending.subarray(end + 4);
    }
    if (status === 101) parseFrames();
    changed();
  });
  const ended = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isEnded = true;
      changed();
      resolve();
    }),
  );
  socket.write(request);

  const until = (match: () => boolean, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (match()) return resolve(true);
      const listener = () => {
        if (!match()) return;
        finish(true);
      };
      const finish = (result: boolean) => {
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(result);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      listeners.add(listener);
    });

  const closeFrame = () => frames.find((f) => f.opcode === OPCODE.close);
  const peer: RawPeer = {
    socket,
    status: () => status,
    frames,
    ended,
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    until,
    async outcome(timeoutMs = WAIT_MS) {
      await until(() => status !== 0 || isEnded, timeoutMs);
      if (status === 0) return isEnded ? { kind: 'gone' } : { kind: 'pending' };
      if (status !== 101) return { kind: 'refused', status };
      const probe = Buffer.from(`probe-${randomBytes(4).toString('hex')}`);
      peer.send(clientFrame(OPCODE.ping, probe));
      const answered = () => frames.some((f) => f.opcode === OPCODE.pong && f.payload.equals(probe));
      await until(() => Boolean(closeFrame()) || isEnded || answered(), timeoutMs);
      const close = closeFrame();
      if (close) return { kind: 'closed', code: close.payload.length >= 2 ? close.payload.readUInt16BE(0) : 1005 };
      if (isEnded) return { kind: 'gone' };
      return answered() ? { kind: 'open' } : { kind: 'pending' };
    },
    destroy: () => socket.destroy(),
  };
  return peer;
}
