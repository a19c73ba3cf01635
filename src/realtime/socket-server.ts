/**
 * The WebSocketServer every live socket goes through (the app process and the test server both
 * make theirs here): frames over maxPayload are refused by ws (1009), a close the peer does not
 * complete ends the connection after a short grace instead of ws's 30 s, one heartbeat reaps dead
 * connections, and upgrades to anything but WebSocket are answered instead of left hanging.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.ts';
import { startHeartbeat } from './heartbeat.ts';

/** How long a closing socket may take to flush its close frame and hear back before it is cut. */
export const CLOSE_GRACE_MS = 5000;

export interface LiveSocketServer {
  wss: WebSocketServer;
  /** Call once with the HTTP server `serve()` returned (it has attached the WebSocket upgrade). */
  attach(server: EventEmitter): void;
  /** Stops the heartbeat (shutdown); closing the HTTP server closes the sockets. */
  stop(): void;
}

const OTHER_UPGRADE_REFUSED = 'Only WebSocket upgrades are served here.\n';

export function createLiveSocketServer(
  config: Pick<Config, 'wsMaxPayload' | 'wsHeartbeatMs'>,
  options: { closeGraceMs?: number } = {},
): LiveSocketServer {
  // ws 8.23 takes closeTimeout (the socket is destroyed that long after close()); @types/ws does
  // not list it yet, hence the options object rather than a literal.
  const serverOptions = {
    noServer: true,
    maxPayload: config.wsMaxPayload,
    closeTimeout: options.closeGraceMs ?? CLOSE_GRACE_MS,
  };
  const wss = new WebSocketServer(serverOptions);
  const heartbeat = startHeartbeat(wss, config.wsHeartbeatMs);
  return {
    wss,
    attach(server) {
      // @hono/node-server returns early from an upgrade that is not "websocket" (h2c, say) and
      // leaves the connection open with no timeout: a stranger could hold sockets forever. Those
      // are refused with a 400 here; its own listener stays the only one (it counts listeners).
      const [honoUpgrade] = server.listeners('upgrade') as ((
        request: IncomingMessage,
        socket: Duplex,
        head: Buffer,
      ) => void)[];
      if (!honoUpgrade) return;
      server.removeAllListeners('upgrade');
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (request.headers.upgrade?.toLowerCase() === 'websocket')
          return honoUpgrade.call(server, request, socket, head);
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(OTHER_UPGRADE_REFUSED)}\r\n\r\n${OTHER_UPGRADE_REFUSED}`,
        );
      });
    },
    stop: () => heartbeat.stop(),
  };
}
