/**
 * A live socket as the feeds see it: messages are UTF-8 bytes, encoded once per group of viewers
 * and written as text frames to every socket of the group (no per-socket re-encoding).
 *
 * Every live route opens its sockets through `LiveSockets.events`, which holds the limits a
 * stranger with the public link could otherwise abuse: sockets per client address, and bytes
 * waiting to be written to one socket (a reader that stopped reading). Both refusals close with
 * 1013 "try again later": htmx-ext-ws reconnects after a back-off (public/app.js keeps it growing
 * while sockets keep being closed on arrival) and the full-state push on connect heals the page,
 * so it never goes silently stale.
 */
import type { WebSocketLike } from '@hono/node-server';
import type { WSEvents } from 'hono/ws';
import type { WebSocket } from 'ws';
import type { Config } from '../config.ts';

export interface LiveSocket {
  send(message: Buffer): void;
  close(code: number, reason: string): void;
}

/** HTML (or any text) as the bytes a text frame carries. */
export const encodeMessage = (text: string): Buffer => Buffer.from(text, 'utf8');

export type SocketLimits = Pick<Config, 'wsMaxBufferedBytes' | 'wsMaxSocketsPerAddress'>;

/** Close codes (RFC 6455 and the IANA registry) the live sockets use. */
export const CLOSE_POLICY = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;

export class LiveSockets {
  readonly #limits: SocketLimits;
  readonly #openByAddress = new Map<string, number>();

  constructor(limits: SocketLimits) {
    this.#limits = limits;
  }

  /** Live sockets open now from a client address. */
  openFrom(address: string): number {
    return this.#openByAddress.get(address) ?? 0;
  }

  #admit(address: string): boolean {
    const open = this.openFrom(address);
    if (open >= this.#limits.wsMaxSocketsPerAddress) return false;
    this.#openByAddress.set(address, open + 1);
    return true;
  }

  #release(address: string): void {
    const open = this.openFrom(address) - 1;
    if (open > 0) this.#openByAddress.set(address, open);
    else this.#openByAddress.delete(address);
  }

  /**
   * The events of a page's socket from `address`: counted against the address on open (over the
   * cap it is closed at once), subscribed through `connect`, released and unsubscribed on close.
   * Pages never send anything, so a message of any kind closes the socket (1008); ws itself closes
   * on frames over maxPayload (1009), invalid UTF-8 (1007) and protocol errors (1002).
   */
  events(address: string, connect: (socket: LiveSocket) => () => void): WSEvents<WebSocketLike> {
    // Per socket: these closures and two variables (the memory target is per idle socket).
    let detach: (() => void) | null = null;
    let counted = false;
    const leave = () => {
      detach?.();
      detach = null;
    };
    return {
      onOpen: (_event, ws) => {
        // The server's WebSocketServer is ws's (src/realtime/socket-server.ts), whose send takes { binary }.
        const raw = ws.raw as unknown as WebSocket;
        counted = this.#admit(address);
        if (!counted) {
          raw.close(CLOSE_TRY_AGAIN_LATER, 'Too many live connections from this address');
          return;
        }
        const maxBuffered = this.#limits.wsMaxBufferedBytes;
        detach = connect({
          send: (message) => {
            // The bound counts the message about to be queued: nothing is queued past it, except
            // one message larger than the bound itself when nothing else waits (a large full state).
            if (raw.bufferedAmount === 0 || raw.bufferedAmount + message.length <= maxBuffered) {
              raw.send(message, { binary: false });
              return;
            }
            // The reader is this far behind (stalled, or on a link too slow for the page): drop it
            // rather than buffer without bound. Unsubscribed now; if the close frame cannot be
            // flushed either, the server's close grace ends the connection.
            leave();
            raw.close(CLOSE_TRY_AGAIN_LATER, 'Too far behind; reconnect');
          },
          close: (code, reason) => raw.close(code, reason),
        });
      },
      onMessage: (_event, ws) => {
        leave();
        ws.close(CLOSE_POLICY, 'This socket only sends');
      },
      onClose: () => {
        leave();
        if (counted) this.#release(address);
        counted = false;
      },
    };
  }
}
