/**
 * The one shape of a live-socket route: the upgrade is accepted only from this site's own pages,
 * counted against the client's socket limits, and the socket handed to a feed with its viewer.
 */
import { upgradeWebSocket } from '@hono/node-server';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { Live } from '../realtime/live.ts';
import type { LiveSocket } from '../realtime/socket.ts';
import { requireSameOriginUpgrade } from '../middleware/ws-origin.ts';

/** Middleware for `app.get(path, …)`: `connect` reads the viewer off the request and returns what attaches the socket. */
export function liveSocket<E extends AppEnv>(
  live: Live,
  connect: (c: Context<E>) => (socket: LiveSocket) => () => void,
) {
  return [
    requireSameOriginUpgrade<E>(),
    upgradeWebSocket((c: Context<E>) => live.sockets.events(c.get('clientAddress'), connect(c))),
  ] as const;
}
