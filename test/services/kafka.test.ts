// Real Kafka from the global setup: the configured topics exist, and a consumer group's
// committed offsets are what a restarted member resumes from.
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../lib/kafka.ts';
import { loadConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';

const config = loadConfig();
const kafka = createKafka(kafkaConnection(config), { clientId: 'cdnfaas-test' });
const admin = kafka.admin();

beforeAll(() => admin.connect());
afterAll(() => admin.disconnect());

/** Consumes until `expected` messages arrived, committing each one's offset explicitly. */
async function consumeAndCommit(groupId: string, topic: string, expected: number): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId, retry: { retries: 3 } });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${values.length} of ${expected} messages within 30 s`)),
        30_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            values.push(message.value!.toString());
            await consumer.commitOffsets([
              { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
            ]);
            if (values.length >= expected) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    // Anything beyond the expected count would show here.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('Kafka started by deploy/local', () => {
  it('has every topic of sources.yaml with its partition count', async () => {
    const metadata = await admin.fetchTopicMetadata({ topics: config.topics.map((topic) => topic.name) });
    const actual = Object.fromEntries(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
    const expected = Object.fromEntries(config.topics.map((topic) => [topic.name, topic.partitions]));
    expect(actual).toEqual(expected);
    expect(expected.cdn_raw).toBe(6);
  });

  it('delivers produced records to a consumer group and keeps its committed offsets', async () => {
    const topic = `test-services-${randomUUID()}`;
    const groupId = `test-services-group-${randomUUID()}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const first = Array.from({ length: 30 }, (_, i) => `first-${i}`);
    await producer.send({ topic, messages: first.map((value, i) => ({ key: `k${i % 7}`, value })) });

    const consumed = await consumeAndCommit(groupId, topic, first.length);
    expect(consumed.sort()).toEqual([...first].sort());

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const committedByPartition = Object.fromEntries(
      committed[0]!.partitions.map((p) => [p.partition, p.offset]),
    );
    const endByPartition = Object.fromEntries(ends.map((p) => [p.partition, p.high]));
    expect(committedByPartition).toEqual(endByPartition);
    expect(Object.values(committedByPartition).reduce((sum, offset) => sum + Number(offset), 0)).toBe(
      first.length,
    );

    // A new member of the same group resumes after the committed offsets: it sees only the new records.
    const second = Array.from({ length: 5 }, (_, i) => `second-${i}`);
    await producer.send({ topic, messages: second.map((value) => ({ value })) });
    await producer.disconnect();
    const resumed = await consumeAndCommit(groupId, topic, second.length);
    expect(resumed.sort()).toEqual([...second].sort());

    await admin.deleteTopics({ topics: [topic] });
  });
});
