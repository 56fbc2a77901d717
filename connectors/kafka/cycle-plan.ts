import type { BatchLimits } from './subscription.ts';

/**
 * The pure decisions of the cycle loop (function-loop.ts): when the next cycle starts, and how
 * the records it takes are split into invocations.
 */

export interface CycleState {
  /** Records buffered over every owned partition. */
  buffered: number;
  bytes: number;
  /** Age of the oldest buffered record, in ms. */
  oldestAgeMs: number;
  /** A cycle is invoking the function (only one at a time). */
  invoking: boolean;
  /** Cycles invoked and waiting for, or in, their publish. */
  publishing: number;
  /** Invocations the function takes at once (replicas x concurrency). */
  slots: number;
  /** Estimated ms until the publish in flight is done (0 when none, or when it overran). */
  publishLeftMs: number;
  /** Estimated ms the next cycle's invoke takes. */
  invokeMs: number;
}

export type CycleDecision = { start: true } | { start: false; waitMs: number };

/**
 * Adaptive batching without fixed waits on the idle path: with nothing in flight a cycle starts
 * at once, whatever it holds. While the previous cycle publishes, the records that arrive meanwhile
 * could not commit before it anyway, so they gather into the next cycle ("group commit"), which
 * starts just in time: when its invoke is expected to end as the publish does, so it publishes
 * next without waiting and takes every record that could have made it. It starts earlier when a
 * whole round of full batches is buffered or the oldest record waited `maxWaitMs`.
 */
export function decideCycle(state: CycleState, limits: BatchLimits): CycleDecision {
  if (state.buffered === 0 || state.invoking) return { start: false, waitMs: Infinity };
  if (state.publishing === 0) return { start: true };
  if (state.publishing > 1) return { start: false, waitMs: Infinity };
  const fullRound =
    state.buffered >= limits.maxRecords * state.slots || state.bytes >= limits.maxBytes * state.slots;
  const justInTime = state.publishLeftMs <= state.invokeMs;
  if (fullRound || justInTime || state.oldestAgeMs >= limits.maxWaitMs) return { start: true };
  return {
    start: false,
    waitMs: Math.min(limits.maxWaitMs - state.oldestAgeMs, state.publishLeftMs - state.invokeMs),
  };
}

/** Exponentially weighted moving average of a duration: recent cycles count most. */
export function smoothed(previous: number | undefined, sample: number, weight = 0.3): number {
  return previous === undefined ? sample : previous + weight * (sample - previous);
}

/** Smallest invocation worth its own call when records are spread over several replicas. */
export const minSpreadBatch = 64;

/**
 * Splits `sizes` (one cycle's records in order, bytes each) into consecutive invocation batches:
 * as few as fit the limits, but at least one per replica once each gets `minSpreadBatch`
 * records, and never more than `slots` at once beyond what the limits force. Returns the
 * batch lengths. Pure.
 */
export function splitCycle(
  sizes: readonly number[],
  limits: BatchLimits,
  replicas: number,
  slots: number,
): number[] {
  if (sizes.length === 0) return [];
  const wanted = Math.min(
    Math.max(1, slots),
    Math.max(
      Math.ceil(sizes.length / limits.maxRecords),
      Math.min(replicas, Math.floor(sizes.length / minSpreadBatch)),
    ),
  );
  const target = Math.ceil(sizes.length / Math.max(1, wanted));
  const lengths: number[] = [];
  let count = 0;
  let bytes = 0;
  for (const size of sizes) {
    const full =
      count >= Math.min(target, limits.maxRecords) || (count > 0 && bytes + size > limits.maxBytes);
    if (full) {
      lengths.push(count);
      count = 0;
      bytes = 0;
    }
    count += 1;
    bytes += size;
  }
  lengths.push(count);
  return lengths;
}
