/**
 * Topic → sockets, and nothing else: no domain types, no rendering. Feeds decide what each
 * subscriber receives; the hub only remembers who listens to what.
 */

/** One open socket as the hub sees it. `viewer` is whatever its feed needs to render for it. */
export interface Subscriber<V = unknown> {
  readonly viewer: V;
  send(message: Buffer): void;
  close(code: number, reason: string): void;
}

export class Hub {
  readonly #topics = new Map<string, Set<Subscriber>>();

  /** Adds a subscriber to a topic; returns the function that removes it. */
  subscribe(topic: string, subscriber: Subscriber): () => void {
    let set = this.#topics.get(topic);
    if (!set) {
      set = new Set();
      this.#topics.set(topic, set);
    }
    set.add(subscriber);
    return () => {
      const current = this.#topics.get(topic);
      if (!current) return;
      current.delete(subscriber);
      if (current.size === 0) this.#topics.delete(topic);
    };
  }

  /** The subscribers of a topic at this moment (a copy: sending may unsubscribe). */
  subscribersOf<V>(topic: string): Subscriber<V>[] {
    return [...(this.#topics.get(topic) ?? [])] as Subscriber<V>[];
  }

  /** How many subscribe to a topic (no copy: cheap when many sockets close at once). */
  count(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0;
  }

  /** Topics with at least one subscriber. */
  topics(): string[] {
    return [...this.#topics.keys()];
  }

  /** Number of subscriptions, over all topics. */
  get size(): number {
    let n = 0;
    for (const set of this.#topics.values()) n += set.size;
    return n;
  }

  /** Closes every socket (shutdown: 1012 "service restart" makes htmx-ext-ws reconnect). */
  closeAll(code: number, reason: string): void {
    for (const set of this.#topics.values()) {
      for (const subscriber of set) subscriber.close(code, reason);
    }
    this.#topics.clear();
  }
}
