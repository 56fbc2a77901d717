// The chaos run's source: records sent to cdn_raw at a steady pace, through broker restarts.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';

export interface PacedReplayResult {
  sent: number;
  elapsedMs: number;
  /** Chunks sent again after kafkajs gave up on them (each may have landed twice). */
  resends: number;
}

/** How many records are due `elapsedMs` into a replay at `rate` per second. Pure. */
export function dueCount(elapsedMs: number, rate: number, total: number): number {
  return Math.min(total, Math.floor((elapsedMs / 1000) * rate));
}

/**
 * Sends `values` in order at `rate` records/s with an idempotent producer. kafkajs retries a
 * request with the same sequence numbers while the broker restarts (no duplicates); only if it
 * gives up is the chunk sent again, and counted, because that second send may duplicate.
 */
export async function pacedReplay(
  kafka: Kafka,
  topic: string,
  values: readonly string[],
  rate: number,
  onProgress: (sent: number) => void,
  signal?: AbortSignal,
): Promise<PacedReplayResult> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 3_000 },
  });
  await producer.connect();
  const started = performance.now();
  let sent = 0;
  let resends = 0;
  try {
    while (sent < values.length && !signal?.aborted) {
      const due = dueCount(performance.now() - started, rate, values.length);
      if (due <= sent) {
        await sleep(50);
        continue;
      }
      const end = Math.min(due, sent + 2_000);
      const messages = values.slice(sent, end).map((value) => ({ value }));
      for (;;) {
        try {
          await producer.send({ topic, acks: -1, messages });
          break;
        } catch (error) {
          if (signal?.aborted) throw error;
          resends += 1;
          await sleep(1_000);
        }
      }
      sent = end;
      onProgress(sent);
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return { sent, elapsedMs: performance.now() - started, resends };
}
