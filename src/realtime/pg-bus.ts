/**
 * The bus across instances: PostgreSQL LISTEN/NOTIFY through postgres.js. Every instance listens
 * on one channel and receives every event, its own included, once; each renders for its own
 * sockets. Payloads are a topic and ids (never HTML, never secrets), far under NOTIFY's 8,000
 * bytes. Notifications sent while the listening connection is down are lost: when it is back
 * (postgres.js calls onlisten on every reconnect) the resync listeners push full state.
 *
 * A LISTEN can also vanish while its connection looks fine: postgres.js re-issues it after a
 * reconnect, and if that attempt fails with an error left over from the cut (porsager/postgres#1223;
 * src/tools/patch-postgres.mjs now clears that error, but a LISTEN can be lost in other ways too)
 * it gives up without a word. So the bus pings itself through the channel; a ping that does not
 * come back by the next one means nothing is being delivered: listen again, then resync.
 */
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import type { Bus, BusListener, LiveEvent } from './bus.ts';

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
  const part = (from: number, to?: number): LiveEvent => ({ ...event, ids: event.ids!.slice(from, to), ...(event.at ? { at: event.at.slice(from, to) } : {}) });
  return [...envelopes(topic, part(0, half)), ...envelopes(topic, part(half))];
}

/** The bus's own topic for pings; never handed to listeners. */
const PING_TOPIC = '$ping';

export async function createPostgresBus(
  sql: postgres.Sql,
  options: { channel?: string; onError: (error: unknown) => void; pingEveryMs?: number },
): Promise<Bus> {
  const channel = options.channel ?? LIVE_CHANNEL;
  const listeners = new Set<BusListener>();
  const resyncListeners = new Set<() => void>();
  const instance = randomBytes(8).toString('hex');
  let listening = false;
  /** The ping sent last and not yet back. */
  let awaitedPing: string | null = null;

  const onNotify = (payload: string) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      options.onError(error);
      return;
    }
    if (envelope.t === PING_TOPIC) {
      if (envelope.e.ids?.[0] === instance && envelope.e.ids[1] === awaitedPing) awaitedPing = null;
      return;
    }
    for (const listener of listeners) listener(envelope.t, envelope.e);
  };
  const onListen = () => {
    // The first call is the initial LISTEN; later ones follow a reconnect, after which events
    // may have been missed.
    if (listening) for (const resync of resyncListeners) resync();
    listening = true;
  };
  let subscription = await sql.listen(channel, onNotify, onListen);

  const listenAgain = async () => {
    options.onError(new Error(`live: notifications on ${channel} stopped arriving; listening again`));
    try {
      await subscription.unlisten();
      subscription = await sql.listen(channel, onNotify, onListen);
    } catch (error) {
      options.onError(error); // the next ping tries again
    }
  };
  const pinger = setInterval(() => {
    if (awaitedPing) {
      awaitedPing = null;
      void listenAgain();
      return;
    }
    // Awaited before it is sent: it may come back before notify() resolves.
    const token = randomBytes(8).toString('hex');
    awaitedPing = token;
    sql.notify(channel, JSON.stringify({ t: PING_TOPIC, e: { type: 'ping', ids: [instance, token] } } satisfies Envelope)).catch(() => {
      // The database is out of reach: nothing to learn from this ping; the reconnect resyncs.
      if (awaitedPing === token) awaitedPing = null;
    });
  }, options.pingEveryMs ?? 10_000);
  pinger.unref();

  return {
    async publish(topic, event) {
      for (const payload of envelopes(topic, event)) await sql.notify(channel, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async close() {
      clearInterval(pinger);
      listeners.clear();
      resyncListeners.clear();
      await subscription.unlisten();
    },
  };
}
