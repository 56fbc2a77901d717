import type { RetryPolicy } from '../../lib/backoff.ts';

/**
 * The connector's retry policy (invocations, publishes, takeovers; lib/backoff.ts is the one
 * backoff module): jitter spreads the retries of many records that failed together (a replica
 * died) so they do not hit the function again in the same millisecond.
 */
export const defaultRetryPolicy: RetryPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: 0.5,
};
