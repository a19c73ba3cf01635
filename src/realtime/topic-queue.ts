/**
 * Runs work for one topic strictly in order, so a viewer never receives an older state after a
 * newer one (each task reads the database, and reads finish in any order).
 */
export class TopicQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  run(topic: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(topic) ?? Promise.resolve();
    const next = previous.then(task).catch(this.#onError);
    this.#tails.set(topic, next);
    void next.finally(() => {
      if (this.#tails.get(topic) === next) this.#tails.delete(topic);
    });
    return next;
  }

  /** Resolves when everything queued so far has run. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
