/**
 * A map that keeps at most `limit` entries and, with `sizeOf`, at most `maxBytes` of them,
 * dropping the least recently used first.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #limit: number;
  readonly #maxBytes: number;
  readonly #sizeOf: (value: V) => number;
  #bytes = 0;

  constructor(limit: number, options: { maxBytes?: number; sizeOf?: (value: V) => number } = {}) {
    this.#limit = Math.max(1, limit);
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#sizeOf = options.sizeOf ?? (() => 0);
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Map keeps insertion order: re-inserting makes this the most recent.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.#entries.set(key, value);
    this.#bytes += this.#sizeOf(value);
    while (this.#entries.size > this.#limit || (this.#bytes > this.#maxBytes && this.#entries.size > 0)) {
      this.delete(this.#entries.keys().next().value as string);
    }
  }

  delete(key: string): void {
    const value = this.#entries.get(key);
    if (value === undefined) return;
    this.#bytes -= this.#sizeOf(value);
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The bytes held, as `sizeOf` counts them. */
  get bytes(): number {
    return this.#bytes;
  }
}
