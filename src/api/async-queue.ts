/**
 * A push-to-pull bridge for subscriptions: producers push values, one consumer iterates them.
 * With `latestOnly`, a slow consumer gets the newest value instead of a backlog (progress
 * snapshots, where only the latest matters). `return()` (a client unsubscribing) runs `onClose`.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly values: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  constructor(
    private readonly options: { readonly latestOnly?: boolean; readonly onClose?: () => void } = {},
  ) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    if (this.options.latestOnly) this.values.length = 0;
    this.values.push(value);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onClose?.();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.values.length > 0) return Promise.resolve({ value: this.values.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.values.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
