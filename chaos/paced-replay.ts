// The chaos run's source: records sent to cdn_raw at a steady pace, through broker restarts.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka, Producer } from 'kafkajs';

export interface PacedReplayResult {
  sent: number;
  elapsedMs: number;
  /** Chunks sent again after kafkajs gave up on them (each may have landed twice). */
  resends: number;
  /** Records in those chunks: at most this many can be in cdn_raw twice. */
  resentRecords: number;
  /** Why kafkajs gave up, once per distinct reason. */
  resendReasons: string[];
}

/** How many records are due `elapsedMs` into a replay at `rate` per second. Pure. */
export function dueCount(elapsedMs: number, rate: number, total: number): number {
  return Math.min(total, Math.floor((elapsedMs / 1000) * rate));
}

/**
 * Sends `values` in order at `rate` records/s with an idempotent producer. kafkajs retries a
 * request with the same sequence numbers while the broker restarts (no duplicates). When it gives
 * up (after a broker kill -9 the broker can answer OUT_OF_ORDER_SEQUENCE_NUMBER to every later
 * request of that producer), the producer is replaced and the chunk sent again, and counted,
 * because part of it may have landed the first time: a source may duplicate, and the pipeline
 * must then treat the two copies as two events.
 */
export async function pacedReplay(
  kafka: Kafka,
  topic: string,
  values: readonly string[],
  rate: number,
  onProgress: (sent: number) => void,
  signal?: AbortSignal,
): Promise<PacedReplayResult> {
  const newProducer = async (): Promise<Producer> => {
    for (;;) {
      const fresh = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 3_000 },
      });
      try {
        await fresh.connect();
        return fresh;
      } catch {
        await fresh.disconnect().catch(() => undefined);
        await sleep(1_000);
      }
    }
  };
  let producer = await newProducer();
  const started = performance.now();
  let sent = 0;
  let resends = 0;
  let resentRecords = 0;
  const resendReasons = new Set<string>();
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
          resentRecords += messages.length;
          resendReasons.add((error as Error).message);
          await producer.disconnect().catch(() => undefined);
          producer = await newProducer();
        }
      }
      sent = end;
      onProgress(sent);
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return {
    sent,
    elapsedMs: performance.now() - started,
    resends,
    resentRecords,
    resendReasons: [...resendReasons],
  };
}
