/**
 * Publish/subscribe between app instances. Events carry a topic and ids only (never HTML, never
 * secrets): each instance reads the current state and renders for its own sockets. Embedded mode
 * uses the in-process bus; PostgreSQL LISTEN/NOTIFY implements the same interface for several
 * instances.
 */

/** A change worth telling viewers about. JSON-serialisable, small. */
export interface LiveEvent {
  type: string;
  ids?: string[];
  /** For each of `ids`, an instant that goes with it (a deleted slot's start, in epoch ms). */
  at?: number[];
}

export type BusListener = (topic: string, event: LiveEvent) => void;

export interface Bus {
  /** Sends an event to every instance's listeners, this one included. Call after the commit. */
  publish(topic: string, event: LiveEvent): Promise<void>;
  /** Listens to every event; returns the function that stops listening. */
  subscribe(listener: BusListener): () => void;
  /** Called when events may have been missed (a reconnect): listeners push full state. */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The listeners of a bus, and the three ways they are called. */
export function createListenerRegistry() {
  const listeners = new Set<BusListener>();
  const resyncListeners = new Set<() => void>();
  return {
    subscribe(listener: BusListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync(listener: () => void): () => void {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    deliver(topic: string, event: LiveEvent): void {
      for (const listener of listeners) listener(topic, event);
    },
    resync(): void {
      for (const listener of resyncListeners) listener();
    },
    clear(): void {
      listeners.clear();
      resyncListeners.clear();
    },
  };
}

/** One process: events go straight to the listeners, asynchronously like a real NOTIFY would. */
export function createInProcessBus(): Bus {
  const registry = createListenerRegistry();
  return {
    async publish(topic, event) {
      const copy = structuredClone(event);
      queueMicrotask(() => registry.deliver(topic, copy));
    },
    subscribe: registry.subscribe,
    onResync: registry.onResync,
    async close() {
      registry.clear();
    },
  };
}
