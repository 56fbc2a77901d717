import { setTimeout as sleep } from 'node:timers/promises';
import { CompressionTypes, type Producer } from 'kafkajs';
import type { RawRecord } from '../contracts/raw-record.ts';
import { createKafka } from '../lib/kafka.ts';
import type { Logger } from '../lib/logger.ts';
import { planReplay, type PlanOptions } from './replay-plan.ts';

export interface ReplayOptions extends PlanOptions {
  brokers: string[];
  topic: string;
  /** Records per produce request. */
  chunkSize?: number;
  logger?: Logger;
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ReplayResult {
  sent: number;
  elapsedMs: number;
}

async function sendChunk(producer: Producer, topic: string, records: RawRecord[]): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    compression: CompressionTypes.None,
    // No key: records spread over all partitions, so every replica of `provide` gets work.
    messages: records.map((record) => ({ value: JSON.stringify(record) })),
  });
}

/**
 * Publishes records to Kafka in timestamp order, keeping their relative timing at the given speed
 * (or as fast as possible), with an idempotent producer so a retried send never duplicates.
 */
export async function replay(records: readonly RawRecord[], options: ReplayOptions): Promise<ReplayResult> {
  const plan = planReplay(records, options);
  const chunkSize = options.chunkSize ?? 500;
  const kafka = createKafka(options.brokers, 'cdnfaas-replay', options.logger);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = performance.now();
  let sent = 0;
  try {
    while (sent < plan.length && !options.signal?.aborted) {
      const waitMs = plan[sent]!.dueMs - (performance.now() - started);
      if (waitMs > 1) await sleep(waitMs);
      // Everything already due goes in one request; never more than a chunk.
      const now = performance.now() - started;
      let end = sent + 1;
      while (end < plan.length && end - sent < chunkSize && plan[end]!.dueMs <= now) end += 1;
      await sendChunk(
        producer,
        options.topic,
        plan.slice(sent, end).map((entry) => entry.record),
      );
      sent = end;
      options.onProgress?.(sent, plan.length);
    }
  } finally {
    await producer.disconnect();
  }
  return { sent, elapsedMs: performance.now() - started };
}
