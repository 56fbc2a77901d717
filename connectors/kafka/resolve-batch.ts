import type { BatchRecord } from '../../contracts/batch.ts';
import type { InvokeOutcome } from './invoke-outcome.ts';
import { backoffDelay, type RetryPolicy } from './retry.ts';

/** The final word on one record: its outputs, or why it goes to the dead-letter topic. */
export type Verdict =
  | { status: 'ok'; outputs: { key: string | null; value: unknown }[] }
  | { status: 'rejected'; reason: string; by: RejectedBy };

/** Who sent a record to the dead-letter topic: the function's answer, bisection, or the connector. */
export type RejectedBy = 'function' | 'poison' | 'connector';

export interface Coordinates {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  records: number;
}

export type ResolveEvent =
  | { type: 'retry'; at: Coordinates; attempt: number; delayMs: number; reason: string }
  | { type: 'split'; at: Coordinates; reason: string }
  | { type: 'poison'; at: Coordinates; reason: string }
  | { type: 'unhealthy'; at: Coordinates; attempt: number; delayMs: number; reason: string };

export interface ResolveDeps {
  invoke(records: BatchRecord[]): Promise<InvokeOutcome>;
  /** Whether the function answers at all: an empty batch. Tells a poison record from an outage. */
  probe(): Promise<boolean>;
  sleep(ms: number): Promise<void>;
  policy: RetryPolicy;
  /** Invocations of one (sub-)batch before it is split in two. */
  attemptsBeforeSplit: number;
  random?: () => number;
  onEvent?(event: ResolveEvent): void;
}

export function coordinatesOf(records: readonly BatchRecord[]): Coordinates {
  const first = records[0]!;
  const last = records[records.length - 1]!;
  return { topic: first.topic, partition: first.partition, firstOffset: first.offset, lastOffset: last.offset, records: records.length };
}

/**
 * Invokes the function with a batch until every record has a verdict, keeping their order.
 * A failing batch is retried with backoff; after `attemptsBeforeSplit` failures it is split in
 * halves, but only while the function answers an empty batch: when it does not, the function is
 * down (not the records), so the batch waits instead of being broken up and dead-lettered.
 * A single record that keeps failing while the function is healthy is the poison: rejected with
 * the last failure as its reason, so the partition moves on.
 */
export async function resolveBatch(records: BatchRecord[], deps: ResolveDeps): Promise<Verdict[]> {
  if (records.length === 0) return [];
  let attempt = 0;
  let outageAttempt = 0;
  for (;;) {
    const outcome = await deps.invoke(records);
    attempt += 1;
    if (outcome.kind === 'ok') {
      return outcome.results.map((result) =>
        result.status === 'ok'
          ? { status: 'ok', outputs: result.outputs }
          : { status: 'rejected', reason: result.reason, by: 'function' },
      );
    }
    if (outcome.kind === 'rejected') return [{ status: 'rejected', reason: outcome.reason, by: 'function' }];

    const at = coordinatesOf(records);
    if (attempt < deps.attemptsBeforeSplit) {
      const delayMs = backoffDelay(deps.policy, attempt, deps.random);
      deps.onEvent?.({ type: 'retry', at, attempt, delayMs, reason: outcome.reason });
      await deps.sleep(delayMs);
      continue;
    }
    const healthy = await deps.probe();
    if (healthy && outageAttempt > 0) {
      // Back from an outage: the whole batch gets another try before anything is split.
      outageAttempt = 0;
      attempt = deps.attemptsBeforeSplit - 1;
      continue;
    }
    if (!healthy) {
      outageAttempt += 1;
      const delayMs = backoffDelay(deps.policy, outageAttempt, deps.random);
      deps.onEvent?.({ type: 'unhealthy', at, attempt: outageAttempt, delayMs, reason: outcome.reason });
      await deps.sleep(delayMs);
      attempt = deps.attemptsBeforeSplit - 1;
      continue;
    }
    if (records.length === 1) {
      deps.onEvent?.({ type: 'poison', at, reason: outcome.reason });
      return [{ status: 'rejected', reason: outcome.reason, by: 'poison' }];
    }
    deps.onEvent?.({ type: 'split', at, reason: outcome.reason });
    const middle = Math.ceil(records.length / 2);
    const left = await resolveBatch(records.slice(0, middle), deps);
    const right = await resolveBatch(records.slice(middle), deps);
    return [...left, ...right];
  }
}
