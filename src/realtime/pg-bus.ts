/**
 * The bus across instances: PostgreSQL LISTEN/NOTIFY through node-postgres. Every instance listens
 * on one channel and receives every event, its own included, once; each renders for its own
 * sockets. Payloads are a topic and ids (never HTML, never secrets), far under NOTIFY's 8,000
 * bytes. NOTIFY goes through the pool; LISTEN holds a client of its own, outside the pool.
 *
 * Notifications sent while that client is down are lost: when it has connected and listened
 * again, the resync listeners push full state. A LISTEN can also stop delivering while its
 * connection looks fine (an UNLISTEN, a proxy that dropped it), so the bus pings itself through
 * the channel; a ping that does not come back by the next one means nothing is being delivered:
 * it drops that client, listens on a new one, then resyncs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Bus, type LiveEvent, createListenerRegistry } from './bus.ts';

export const LIVE_CHANNEL = 'ipt_live';
/** Room left under NOTIFY's 8,000-byte limit. */
const MAX_PAYLOAD = 7000;

interface Envelope {
  t: string;
  e: LiveEvent;
}

/** Splits an event whose ids would not fit in one notification. */
export function envelopes(topic: string, event: LiveEvent): string[] {
  const whole = JSON.stringify({ t: topic, e: event } satisfies Envelope);
  if (whole.length <= MAX_PAYLOAD || !event.ids?.length) return [whole];
  const half = Math.ceil(event.ids.length / 2);
  // `at` goes with `ids`, element by element.
  const part = (from: number, to?: number): LiveEvent => ({
    ...event,
    ids: event.ids!.slice(from, to),
    ...(event.at ? { at: event.at.slice(from, to) } : {}),
  });
  return [...envelopes(topic, part(0, half)), ...envelopes(topic, part(half))];
}

/** The bus's own topic for pings; never handed to listeners. */
const PING_TOPIC = '$ping';

/** Waits before listening again after the listening client failed: 50 ms doubling to 1 s, jittered. */
export function listenBackoffMs(failures: number): number {
  return Math.min(50 * 2 ** failures, 1000) * (0.5 + Math.random() / 2);
}

export interface PostgresBusOptions {
  channel?: string;
  onError: (error: unknown) => void;
  pingEveryMs?: number;
  /** Makes the LISTEN client (tests keep a hand on it); a new one for each (re)connect. */
  createClient?: () => pg.Client;
}

export async function createPostgresBus(
  database: { pool: pg.Pool; url: string },
  options: PostgresBusOptions,
): Promise<Bus> {
  const channel = options.channel ?? LIVE_CHANNEL;
  const quotedChannel = `"${channel.replaceAll('"', '""')}"`;
  const registry = createListenerRegistry();
  const instance = randomBytes(8).toString('hex');
  const createClient =
    options.createClient ?? (() => new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 5000 }));
  /** The ping sent last and not yet back. */
  let awaitedPing: string | null = null;
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const onNotify = (payload: string | undefined) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload ?? '') as Envelope;
    } catch (error) {
      options.onError(error);
      return;
    }
    if (envelope.t === PING_TOPIC) {
      if (envelope.e.ids?.[0] === instance && envelope.e.ids[1] === awaitedPing) awaitedPing = null;
      return;
    }
    registry.deliver(envelope.t, envelope.e);
  };

  /** Connects a new client and listens on it; a failure schedules another try. */
  const listen = async (): Promise<void> => {
    const next = createClient();
    client = next;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (error) options.onError(error);
      next.removeAllListeners('notification');
      next.end().catch(() => {});
      if (client === next) {
        client = null;
        scheduleListen();
      }
    };
    next.on('error', onLost);
    next.on('end', () => onLost(new Error(`live: the connection listening on ${channel} ended`)));
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${quotedChannel}`);
    } catch (error) {
      onLost(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    failures = 0;
    // A ping sent before this LISTEN proves nothing about it; the resync covers the gap.
    awaitedPing = null;
  };

  const scheduleListen = () => {
    if (closed || retry) return;
    retry = setTimeout(async () => {
      retry = undefined;
      if (closed) return;
      try {
        await listen();
        // Notifications sent while nothing listened are lost: push full state.
        if (!closed) registry.resync();
      } catch {
        // onLost has scheduled the next try.
      }
    }, listenBackoffMs(failures++));
    retry.unref();
  };

  try {
    await listen();
  } catch (error) {
    // At start-up the caller decides (the server does not start); no retries behind its back.
    closed = true;
    clearTimeout(retry);
    throw error;
  }

  const pinger = setInterval(() => {
    if (awaitedPing) {
      // The last ping never came back: this LISTEN delivers nothing. Start over on a new client.
      awaitedPing = null;
      options.onError(new Error(`live: notifications on ${channel} stopped arriving; listening again`));
      const stale = client;
      client = null;
      stale?.removeAllListeners();
      stale?.on('error', () => {});
      stale?.end().catch(() => {});
      scheduleListen();
      return;
    }
    if (!client) return; // reconnecting: the resync covers what this ping would have checked
    // Awaited before it is sent: it may come back before the query resolves.
    const token = randomBytes(8).toString('hex');
    awaitedPing = token;
    notify(JSON.stringify({ t: PING_TOPIC, e: { type: 'ping', ids: [instance, token] } } satisfies Envelope)).catch(
      () => {
        // The database is out of reach: nothing to learn from this ping; the reconnect resyncs.
        if (awaitedPing === token) awaitedPing = null;
      },
    );
  }, options.pingEveryMs ?? 10_000);
  pinger.unref();

  const notify = (payload: string) => database.pool.query('SELECT pg_notify($1, $2)', [channel, payload]);

  return {
    async publish(topic, event) {
      for (const payload of envelopes(topic, event)) await notify(payload);
    },
    subscribe: registry.subscribe,
    onResync: registry.onResync,
    async close() {
      closed = true;
      clearInterval(pinger);
      clearTimeout(retry);
      registry.clear();
      const last = client;
      client = null;
      if (last) {
        last.removeAllListeners();
        last.on('error', () => {});
        await last.end().catch(() => {});
      }
    },
  };
}
