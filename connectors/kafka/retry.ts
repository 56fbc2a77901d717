/**
 * The one retry policy of the connector and the autoscaler: exponential backoff with a cap and
 * jitter. Jitter spreads the retries of many partitions that failed together (a replica died)
 * so they do not hit the function again in the same millisecond.
 */
export interface RetryPolicy {
  /** Delay before the first retry, in ms. */
  initialDelayMs: number;
  /** Upper bound of any delay, in ms. */
  maxDelayMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Fraction of the delay that is random: 0 = none, 1 = anywhere in [0, delay]. */
  jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: 0.5,
};

/** Delay before retry number `attempt` (1 = the first retry). `random` is injectable for tests. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(base * (1 - jitter + jitter * random()));
}

export class AbortedError extends Error {
  constructor() {
    super('operation aborted');
    this.name = 'AbortedError';
  }
}

/** Resolves after `ms`, or rejects with AbortedError as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortedError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function isAborted(error: unknown): boolean {
  return error instanceof AbortedError || (error instanceof Error && error.name === 'AbortError');
}
