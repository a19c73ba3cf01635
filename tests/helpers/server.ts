/** A real HTTP + WebSocket server around a test app, on a free port. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/app-env.ts';
import { WebSocket, type WebSocketServer } from 'ws';
import type { Config } from '../../src/config.ts';
import { createLiveSocketServer } from '../../src/realtime/socket-server.ts';
import { testConfig } from './app.ts';
import { WAIT_MS } from './patience.ts';

export interface TestServer {
  url: string;
  origin: string;
  /** The server side of every open socket (to look at what it holds). */
  wss: WebSocketServer;
  close(): Promise<void>;
}

/**
 * Serves `app` with the app's own WebSocketServer set-up (maxPayload, close grace, heartbeat) from
 * `config` (the test app's, to use its WS_* settings; else the defaults).
 */
export async function startServer(
  app: Hono<AppEnv>,
  options: { config?: Pick<Config, 'wsMaxPayload' | 'wsHeartbeatMs'>; closeGraceMs?: number } = {},
): Promise<TestServer> {
  const sockets = createLiveSocketServer(options.config ?? testConfig(), { closeGraceMs: options.closeGraceMs });
  const { wss } = sockets;
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: wss } },
      (info: AddressInfo) => {
        const origin = `http://127.0.0.1:${info.port}`;
        resolve({
          url: origin,
          origin,
          wss,
          close: () =>
            new Promise<void>((done) => {
              sockets.stop();
              for (const client of wss.clients) client.terminate();
              server.close(() => done());
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    sockets.attach(server);
  });
}

/** A WebSocket client that records what it receives. */
export interface LiveClient {
  messages: string[];
  /**
   * Resolves with the first matching message at index `from` or later (already received or still
   * coming). Take `mark()` before acting, so an earlier message cannot answer for a later event.
   */
  waitFor(match: (message: string) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<string>;
  /** The index the next message will get. */
  mark(): number;
  close(): void;
  socket: WebSocket;
  /** Resolves when the socket has closed, with the code and reason the client saw. */
  closed: Promise<{ code: number; reason: string }>;
}

/** `headers` are sent with the upgrade (X-Forwarded-For, say); `autoPong: false` leaves pings unanswered. */
export function connectLive(
  url: string,
  options: { origin?: string; cookie?: string; headers?: Record<string, string>; autoPong?: boolean } = {},
): Promise<LiveClient> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const socket = new WebSocket(url, {
    headers,
    autoPong: options.autoPong ?? true,
    ...(options.origin ? { origin: options.origin } : {}),
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const messages: string[] = [];
  const waiters = new Set<{ match: (m: string) => boolean; resolve: (m: string) => void }>();
  let count = 0;
  socket.on('message', (data) => {
    const text = data.toString();
    messages.push(text);
    count += 1;
    for (const waiter of waiters) {
      if (waiter.match(text)) {
        waiters.delete(waiter);
        waiter.resolve(text);
      }
    }
  });
  const client: LiveClient = {
    messages,
    socket,
    closed,
    mark: () => count,
    waitFor(match, { from = 0, timeoutMs = WAIT_MS } = {}) {
      const seen = messages.slice(from).find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: string) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no matching message within ${timeoutMs} ms; got ${messages.length}: ${messages.map((m) => m.slice(0, 120)).join(' | ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
}
