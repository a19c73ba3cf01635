/**
 * Heartbeat for every socket of a WebSocketServer: one timer for the whole server, not one per
 * socket. Each tick pings every open socket; a socket that has not answered the previous tick's
 * ping with a pong (a dead TCP connection, a machine gone to sleep, a reader that stopped reading)
 * is terminated, which closes it and so unsubscribes it from the hub. Browsers answer pings by
 * themselves, so a live page never notices.
 *
 * A tick that comes late means this process itself stalled (a long collection, a busy loop, a
 * paused VM): answers may be sitting unread, so that tick reaps nobody and only pings again.
 *
 * Per socket this costs one entry in a WeakSet while a ping is unanswered, and one shared listener.
 */
import type { WebSocket, WebSocketServer } from 'ws';

export interface Heartbeat {
  stop(): void;
}

/**
 * Starts pinging the server's sockets every `intervalMs`; `stop()` ends it (shutdown). `now` is
 * the clock a tick reads to tell whether it is late (tests stall the process through it).
 */
export function startHeartbeat(
  wss: WebSocketServer,
  intervalMs: number,
  now: () => number = () => performance.now(),
): Heartbeat {
  const unanswered = new WeakSet<WebSocket>();
  // One function for every socket: `this` is the socket that answered.
  function answered(this: WebSocket) {
    unanswered.delete(this);
  }
  const watch = (socket: WebSocket) => socket.on('pong', answered);
  wss.on('connection', watch);
  let lastTick = now();
  const timer = setInterval(() => {
    const tickAt = now();
    const onTime = tickAt - lastTick < intervalMs * 1.5;
    lastTick = tickAt;
    for (const socket of wss.clients) {
      if (onTime && unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      wss.off('connection', watch);
    },
  };
}
