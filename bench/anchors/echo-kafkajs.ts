// The echo stage with kafkajs: one transactional producer, one transaction per fetched batch,
// the batch's next offset sent to the transaction with sendOffsets.
import type { Batch, Consumer, Producer } from 'kafkajs';
import { createKafka, plainConnection } from '../../lib/kafka.ts';
import type { EchoCounters, EchoStage, EchoTopics } from './echo-figures.ts';

export async function startKafkajsEcho(topics: EchoTopics, counters: EchoCounters): Promise<EchoStage> {
  const kafka = createKafka(plainConnection(topics.brokers), { clientId: `echo-kafkajs-${topics.groupId}` });
  const producer = kafka.producer({
    transactionalId: topics.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  // read_committed is kafkajs's default (readUncommitted: false); stated for the reader.
  const consumer = kafka.consumer({ groupId: topics.groupId, readUncommitted: false });
  await producer.connect();
  await consumer.connect();
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    counters.failure = payload.error;
  });
  await consumer.subscribe({ topic: topics.input, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset }) => {
      if (batch.messages.length === 0) return;
      counters.firstRecordAt ??= performance.now();
      await echoBatch(producer, topics, batch, counters);
      resolveOffset(batch.lastOffset());
    },
  });
  return { stop: () => stopAll(consumer, producer) };
}

async function echoBatch(
  producer: Producer,
  topics: EchoTopics,
  batch: Batch,
  counters: EchoCounters,
): Promise<void> {
  const transaction = await producer.transaction();
  try {
    await transaction.send({
      topic: topics.output,
      messages: batch.messages.map((m) => ({ key: m.key, value: m.value, partition: batch.partition })),
    });
    const started = performance.now();
    await transaction.sendOffsets({
      consumerGroupId: topics.groupId,
      topics: [
        {
          topic: topics.input,
          partitions: [{ partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }],
        },
      ],
    });
    await transaction.commit();
    const committed = performance.now();
    counters.commitLatenciesMs.push(committed - started);
    counters.lastCommitAt = committed;
  } catch (error) {
    // The batch is redone from the committed offset after the consumer restarts.
    await transaction.abort().catch(() => undefined);
    throw error;
  }
  counters.transactions += 1;
  counters.records += batch.messages.length;
}

async function stopAll(consumer: Consumer, producer: Producer): Promise<void> {
  await consumer.disconnect();
  await producer.disconnect();
}
