import type { Subscription } from './subscription.ts';
import type { GatewayClient } from './gateway-client.ts';
import type { Limiter } from './limiter.ts';
import { encodeRecord, type BufferedRecord, type WireRecord } from './records.ts';
import { resolveBatch, type Verdict } from './resolve-batch.ts';
import { sleep, type RetryPolicy } from '../../lib/backoff.ts';
import type { Telemetry } from './telemetry.ts';

/** Shared by a function's partitions: when it last answered records with success (ms). */
export interface FunctionHealth {
  lastSuccessAt: number | undefined;
}

export interface BatchVerdictDeps {
  gateway: GatewayClient;
  limiter: Limiter;
  telemetry: Telemetry;
  policy: RetryPolicy;
  attemptsBeforeSplit: number;
  health: FunctionHealth;
  signal: AbortSignal;
}

/**
 * A verdict for every record of a batch. Records that cannot reach the function (not JSON, too
 * large, no value) are rejected here; the rest go to the function in one call, within the
 * function's in-flight limit, retried and bisected by resolveBatch. `clock.acquired` is set when
 * the in-flight slot was obtained, for the batch timing.
 */
export async function batchVerdicts(
  batch: readonly BufferedRecord[],
  spec: Subscription,
  deps: BatchVerdictDeps,
  clock: { acquired: number },
): Promise<Verdict[]> {
  const verdicts: Verdict[] = new Array(batch.length);
  const sendable: WireRecord[] = [];
  const sendableIndex: number[] = [];
  batch.forEach((buffered, index) => {
    const encoded = encodeRecord(buffered, spec.batch.maxBytes, spec.inputFromStack);
    if (encoded.ok) {
      sendable.push(encoded.record);
      sendableIndex.push(index);
    } else {
      verdicts[index] = { status: 'rejected', reason: encoded.reason, by: 'connector' };
    }
  });
  if (sendable.length === 0) return verdicts;
  const { gateway, limiter, telemetry, health, signal } = deps;
  const release = await limiter.acquire(signal);
  clock.acquired = performance.now();
  telemetry.inFlight(spec.name, limiter.inUse, limiter.capacity);
  try {
    const resolved = await resolveBatch(sendable, {
      invoke: async (records) => {
        const outcome = await gateway.invokeBatch(spec.name, records, spec.timeoutMs, signal);
        if (outcome.kind === 'ok' && records.length > 0) health.lastSuccessAt = Date.now();
        return outcome;
      },
      lastSuccessAt: () => health.lastSuccessAt,
      now: Date.now,
      probe: async () => (await gateway.invokeBatch(spec.name, [], spec.timeoutMs, signal)).kind === 'ok',
      sleep: (ms) => sleep(ms, signal),
      policy: deps.policy,
      attemptsBeforeSplit: deps.attemptsBeforeSplit,
      onEvent: (event) => telemetry.resolveEvent(spec.name, event),
    });
    resolved.forEach((verdict, i) => {
      verdicts[sendableIndex[i]!] = verdict;
    });
    return verdicts;
  } finally {
    release();
    telemetry.inFlight(spec.name, limiter.inUse, limiter.capacity);
  }
}
