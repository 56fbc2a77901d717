/**
 * Waiting between attempts, for every part of cdnfaas: an
 * exponential delay with a cap and optional jitter, restart delays for crashed processes (the
 * same curve, reset once a process stayed up), and a sleep that ends when shutdown is asked for,
 * so no loop keeps a process alive after its signal aborted.
 */
export interface RetryPolicy {
  /** Delay before the first retry, in ms. */
  initialDelayMs: number;
  /** Upper bound of any delay, in ms. */
  maxDelayMs: number;
  /** Growth per attempt. */
  factor: number;
  /**
   * Fraction of the delay that is random: 0 = none, 1 = anywhere in [0, delay]. Jitter spreads
   * the retries of many callers that failed together so they do not all come back at once.
   */
  jitter: number;
}

/** Delay before retry number `attempt` (1 = the first retry). `random` is injectable for tests. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(0, attempt - 1), 30);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(base * (1 - jitter + jitter * random()));
}

/** Restart delays for crashed processes: exponential with a cap, like Kubernetes' CrashLoopBackOff. */
export interface RestartPolicy {
  /** Delay before the first restart, ms. */
  initialMs: number;
  /** Upper bound of any delay, ms. */
  maxMs: number;
  /** A process that stayed up this long has its restart count reset, ms. */
  resetAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialMs: 100, maxMs: 10_000, resetAfterMs: 10_000 };

/** Delay before restart number `restarts` (0 for the first restart); no jitter, so tests can time it. */
export function restartDelayMs(policy: RestartPolicy, restarts: number): number {
  return backoffDelay(
    { initialDelayMs: policy.initialMs, maxDelayMs: policy.maxMs, factor: 2, jitter: 0 },
    restarts + 1,
  );
}

/** The restart count to use after a crash, given how long the process had been running. */
export function restartsAfterCrash(policy: RestartPolicy, restarts: number, uptimeMs: number): number {
  return uptimeMs >= policy.resetAfterMs ? 0 : restarts;
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

/** True for the error `sleep` rejects with, and for the AbortError of Node and fetch. */
export function isAborted(error: unknown): boolean {
  return error instanceof AbortedError || (error instanceof Error && error.name === 'AbortError');
}
