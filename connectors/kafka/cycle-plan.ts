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
}

export type CycleDecision = { start: true } | { start: false; waitMs: number };

/**
 * Adaptive batching without fixed waits on the idle path: with nothing in flight a cycle starts
 * at once, whatever it holds. While the previous cycle publishes, the records that arrive meanwhile
 * could not commit before it anyway, so they gather into the next cycle ("group commit") until
 * it is done, a whole round of full batches is buffered, or the oldest waited `maxWaitMs`.
 */
export function decideCycle(state: CycleState, limits: BatchLimits): CycleDecision {
  if (state.buffered === 0 || state.invoking) return { start: false, waitMs: Infinity };
  if (state.publishing === 0) return { start: true };
  if (state.publishing > 1) return { start: false, waitMs: Infinity };
  const fullRound =
    state.buffered >= limits.maxRecords * state.slots || state.bytes >= limits.maxBytes * state.slots;
  if (fullRound || state.oldestAgeMs >= limits.maxWaitMs) return { start: true };
  return { start: false, waitMs: limits.maxWaitMs - state.oldestAgeMs };
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
