import { AbortedError } from '../../lib/backoff.ts';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A FIFO semaphore whose capacity can change while it is held: the in-flight limit of one
 * function follows its replica count. Waiters are served in arrival order, so no partition
 * starves another.
 */
export class Limiter {
  #capacity: number;
  #inUse = 0;
  readonly #waiters: Waiter[] = [];

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  get capacity(): number {
    return this.#capacity;
  }

  get inUse(): number {
    return this.#inUse;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  setCapacity(capacity: number): void {
    this.#capacity = Math.max(1, capacity);
    this.#drain();
  }

  /** Resolves once a slot is held; call the returned function exactly once to free it. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new AbortedError();
    if (this.#inUse < this.#capacity && this.#waiters.length === 0) {
      this.#inUse += 1;
      return this.#releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal !== undefined) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(new AbortedError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUse -= 1;
      this.#drain();
    };
  }

  #drain(): void {
    while (this.#inUse < this.#capacity && this.#waiters.length > 0) {
      const waiter = this.#waiters.shift()!;
      if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#inUse += 1;
      waiter.resolve();
    }
  }
}
