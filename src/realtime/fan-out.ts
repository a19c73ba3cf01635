/**
 * Sending one push to many sockets. Each group of viewers that see the same thing is rendered once,
 * on its first subscriber, and the same bytes go to every socket of the group; every `chunk`
 * sockets the send yields to the event loop, so HTTP answers are never queued behind a fan-out to
 * thousands of sockets.
 */
import type { Child } from 'hono/jsx';
import { renderHtml } from '../../views/render.ts';
import type { Subscriber } from './hub.ts';
import { encodeMessage } from './socket.ts';

/** Seams for tests, passed in through the live path's factory; both optional. */
export interface FeedProbe {
  /** Called once per render of a distinct view (`kind|key`): tests count renders per push. */
  rendered?(view: string): void;
  /** Awaited before a feed takes the events waiting for a topic and reads: tests hold it. */
  beforeRead?(topic: string): Promise<void>;
}

/** Lets the event loop run what is waiting (HTTP requests, socket reads) before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface FanOutOptions {
  /** Sockets written to between yields. */
  chunk: number;
  /** Names the kind of push in the probe's view names. */
  kind: string;
  probe?: FeedProbe | undefined;
}

/** Renders once per key and sends the same bytes to each subscriber with that key (null: nothing). */
export async function fanOut<V>(
  subscribers: readonly Subscriber<V>[],
  keyOf: (viewer: V, subscriber: Subscriber<V>) => string,
  render: (viewer: V, subscriber: Subscriber<V>) => Child | null | Promise<Child | null>,
  options: FanOutOptions,
): Promise<void> {
  const rendered = new Map<string, Buffer | null>();
  let sent = 0;
  for (const subscriber of subscribers) {
    const key = keyOf(subscriber.viewer, subscriber);
    let message = rendered.get(key);
    if (message === undefined) {
      const node = await render(subscriber.viewer, subscriber);
      message = node === null ? null : encodeMessage(renderHtml(node));
      rendered.set(key, message);
      options.probe?.rendered?.(`${options.kind}|${key}`);
    }
    if (!message) continue;
    subscriber.send(message);
    if (++sent % options.chunk === 0) await yieldToEventLoop();
  }
}
