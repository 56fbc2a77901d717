import type { Consumer } from 'kafkajs';
import { createKafka, type KafkaConnection } from '../../lib/kafka.ts';
import type { DeadLetterCount } from './types.ts';

/**
 * Exact record counts of the dead-letter topics. Their end offsets overcount: the connector
 * writes dead letters inside its transactions, and every commit leaves a marker that takes an
 * offset. So a read_committed consumer reads the topics from the start and counts what it gets
 * (kafkajs hands over no control records, and the client factory's filter no aborted ones). It commits nothing; its group,
 * named apart from the connector's `cdnfaas-*` groups, holds no offsets and Kafka forgets it.
 */
export function createDeadLetterCounter(
  connection: KafkaConnection,
  topics: string[],
): { counts: () => Promise<DeadLetterCount[]>; close: () => Promise<void> } {
  const kafka = createKafka(connection, {
    clientId: 'cdnfaas-dashboard-dlq',
    connectionTimeout: 1_000,
    retry: { retries: 2 },
  });
  const counted = new Map<string, number>();
  let consumer: Consumer | undefined;
  let starting: Promise<void> | undefined;
  let failure: Error | undefined;

  async function start(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    let present: string[];
    try {
      const existing = new Set(await admin.listTopics());
      present = topics.filter((topic) => existing.has(topic));
    } finally {
      await admin.disconnect();
    }
    if (present.length === 0)
      throw new Error(`none of the dead-letter topics exists yet (${topics.join(', ')})`);
    const next = kafka.consumer({
      groupId: `dashboard-dlq-${process.pid}-${Date.now().toString(36)}`,
      readUncommitted: false,
      maxWaitTimeInMs: 500,
    });
    next.on(next.events.CRASH, (event) => {
      failure = event.payload.error;
    });
    await next.connect();
    await next.subscribe({ topics: present, fromBeginning: true });
    for (const topic of present) counted.set(topic, 0);
    await next.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        counted.set(batch.topic, (counted.get(batch.topic) ?? 0) + batch.messages.length);
      },
    });
    consumer = next;
  }

  async function stop(): Promise<void> {
    const current = consumer;
    consumer = undefined;
    starting = undefined;
    await current?.disconnect().catch(() => undefined);
  }

  return {
    async counts() {
      if (failure) {
        const error = failure;
        failure = undefined;
        counted.clear();
        await stop();
        throw error; // counted again from the start at the next reading
      }
      starting ??= start().catch(async (error: unknown) => {
        await stop();
        throw error;
      });
      await starting;
      return [...counted].map(([topic, records]) => ({ topic, records }));
    },
    close: stop,
  };
}
