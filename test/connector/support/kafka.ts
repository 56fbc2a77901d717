import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Admin, type IHeaders, type Kafka } from 'kafkajs';
import { readGroupLag } from '../../../scaling/lag/reader.ts';
import { uniqueName } from './harness.ts';

export interface ConsumedRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export async function createTopics(
  admin: Admin,
  topics: { topic: string; partitions: number }[],
): Promise<void> {
  await admin.createTopics({
    topics: topics.map(({ topic, partitions }) => ({ topic, numPartitions: partitions })),
    waitForLeaders: true,
  });
}

/** Produces keyed records in chunks (the Java-compatible default partitioner places them by key). */
export async function produce(
  kafka: Kafka,
  topic: string,
  records: { key: string; value: string | Buffer }[],
  onProgress?: (sent: number) => void,
): Promise<void> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    const chunk = 5_000;
    for (let start = 0; start < records.length; start += chunk) {
      await producer.send({ topic, acks: -1, messages: records.slice(start, start + chunk) });
      onProgress?.(Math.min(records.length, start + chunk));
    }
  } finally {
    await producer.disconnect();
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    out[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  return out;
}

/**
 * Reads a topic from the beginning as a read_committed consumer until it holds `expected`
 * records and nothing more arrives for `quietMs` (so duplicates beyond the count are seen too).
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  expected: number,
  timeoutMs = 60_000,
  quietMs = 2_000,
): Promise<ConsumedRecord[]> {
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    readUncommitted: false,
    maxWaitTimeInMs: 200,
  });
  const records: ConsumedRecord[] = [];
  let lastArrival = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          records.push({
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value,
            headers: headersOf(message.headers),
          });
        }
        lastArrival = Date.now();
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (records.length >= expected && Date.now() - lastArrival >= quietMs) break;
      await sleep(100);
    }
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** Waits until the group has consumed every partition of the topic to the end. */
export async function waitForZeroLag(
  admin: Admin,
  groupId: string,
  topic: string,
  timeoutMs: number,
  onProgress?: (lag: number) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lag = Infinity;
  while (Date.now() < deadline) {
    lag = (await readGroupLag(admin, { function: '', groupId, topic })).totalLag;
    onProgress?.(lag);
    if (lag === 0) return;
    await sleep(250);
  }
  throw new Error(`group ${groupId} still has lag ${lag} on ${topic} after ${timeoutMs} ms`);
}

/** The value of one Prometheus sample in a text exposition, 0 when absent. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const wanted = Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
