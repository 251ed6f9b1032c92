/**
 * A push-to-pull bridge: producers `push` values, one consumer iterates them with `for await`.
 * `end()` finishes the iteration after buffered values; `fail(err)` makes it throw.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiter?: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void };
  private done = false;
  private error: unknown;
  private onReturn?: () => void;

  /** `onReturn` runs once when the consumer stops early (break/return) or the queue ends. */
  constructor(onReturn?: () => void) {
    this.onReturn = onReturn;
  }

  get size(): number {
    return this.buffer.length;
  }

  get closed(): boolean {
    return this.done;
  }

  push(value: T): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value, done: false });
    } else this.buffer.push(value);
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.flushWaiter();
    this.runOnReturn();
  }

  fail(err: unknown): void {
    if (this.done) return;
    this.error = err;
    this.done = true;
    this.flushWaiter();
    this.runOnReturn();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.done) {
      if (this.error !== undefined) {
        const e = this.error;
        this.error = undefined;
        return Promise.reject(e);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.error = undefined;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private flushWaiter(): void {
    if (!this.waiter || this.buffer.length > 0) return;
    const w = this.waiter;
    this.waiter = undefined;
    if (this.error !== undefined) {
      const e = this.error;
      this.error = undefined;
      w.reject(e);
    } else w.resolve({ value: undefined, done: true });
  }

  private runOnReturn(): void {
    const f = this.onReturn;
    this.onReturn = undefined;
    f?.();
  }
}
