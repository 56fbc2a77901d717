/** Restart delays for crashed replicas: exponential with a cap, like Kubernetes' CrashLoopBackOff. */
export interface BackoffPolicy {
  /** Delay before the first restart, ms. */
  initialMs: number;
  /** Upper bound of any delay, ms. */
  maxMs: number;
  /** A replica that stayed up this long has its restart count reset, ms. */
  resetAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 100, maxMs: 10_000, resetAfterMs: 10_000 };

/** Delay before restart number `restarts` (0 for the first restart). */
export function restartDelayMs(policy: BackoffPolicy, restarts: number): number {
  const exponent = Math.min(Math.max(restarts, 0), 30);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
}

/** The restart count to use after a crash, given how long the replica had been running. */
export function restartsAfterCrash(policy: BackoffPolicy, restarts: number, uptimeMs: number): number {
  return uptimeMs >= policy.resetAfterMs ? 0 : restarts;
}
