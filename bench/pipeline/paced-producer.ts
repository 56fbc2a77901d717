// Records to cdn_raw at a steady rate, each with the moment it was due. The producer places
// every record on a partition of its choosing and learns its offset from Kafka's answer, so it
// knows the record's coordinates and therefore the sample_id `provide` will give it (a UUID over
// content and coordinates): that is how a stored prediction is traced back to its raw record.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { RawRecord } from '../../contracts/raw-record.ts';
import { toClientData } from '../../functions/provide/to-client-data.ts';

/** Shortest interval between two produce requests (ms). */
export const tickMs = 5;

export interface PacedOptions {
  kafka: Kafka;
  topic: string;
  partitions: number;
  /** Records per second. */
  rate: number;
  records: readonly RawRecord[];
  onProgress?: (sent: number) => void;
  /** Filled as records are sent (so a caller can follow them while they are produced). */
  dueAt?: Map<string, number>;
}

export interface PacedResult {
  /** sample_id -> ms (performance.now()) at which its raw record was due to be produced. */
  dueAt: Map<string, number>;
  sent: number;
  elapsedMs: number;
  /** Largest gap between a record's due time and its send starting (producer falling behind). */
  maxSendDelayMs: number;
}

/** Partition of the i-th record: round robin, as an unkeyed producer spreads them. Pure. */
export const partitionOf = (index: number, partitions: number): number => index % partitions;

export async function producePaced(options: PacedOptions): Promise<PacedResult> {
  const { kafka, topic, partitions, rate, records } = options;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const dueAt = options.dueAt ?? new Map<string, number>();
  let maxSendDelayMs = 0;
  const started = performance.now();
  const due = (index: number) => started + (index * 1000) / rate;
  let sent = 0;
  try {
    let lastSend = -Infinity;
    while (sent < records.length) {
      // At most one request per tick: a request per record would load Kafka and this process
      // more than the pipeline under test. A record waits at most one tick, and that wait counts.
      const wait = Math.max(due(sent), lastSend + tickMs) - performance.now();
      if (wait > 0.5) await sleep(wait);
      // Everything due by now goes in one request, like a producer's linger would batch it.
      const now = performance.now();
      lastSend = now;
      let end = sent + 1;
      while (end < records.length && due(end) <= now) end += 1;
      maxSendDelayMs = Math.max(maxSendDelayMs, now - due(sent));
      const batch = records.slice(sent, end).map((record, i) => ({ record, index: sent + i }));
      const answer = await producer.send({
        topic,
        acks: -1,
        messages: batch.map(({ record, index }) => ({
          partition: partitionOf(index, partitions),
          value: JSON.stringify(record),
        })),
      });
      const base = new Map(answer.map((meta) => [meta.partition, BigInt(meta.baseOffset ?? '0')]));
      const next = new Map<number, bigint>();
      for (const { record, index } of batch) {
        const partition = partitionOf(index, partitions);
        const offset = next.get(partition) ?? base.get(partition)!;
        next.set(partition, offset + 1n);
        const parsed = toClientData(record, { topic, partition, offset: offset.toString() });
        if (parsed.ok) dueAt.set(parsed.value.sample_id, due(index));
      }
      sent = end;
      options.onProgress?.(sent);
    }
  } finally {
    await producer.disconnect();
  }
  return { dueAt, sent, elapsedMs: performance.now() - started, maxSendDelayMs };
}
