import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';

export interface BaselineOptions {
  kafka: Kafka;
  input: string;
  output: string;
  groupId: string;
  batchSize: number;
  /** Same guarantee as a topic-to-topic stage: outputs and offsets in one transaction per batch. */
  transactional: boolean;
}

export interface BaselineLoop {
  stop(): Promise<void>;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * The reference the connector is measured against: a plain kafkajs loop that consumes, produces
 * each record's bytes unchanged to the output topic and commits, in batches of the same size and
 * with the same per-partition parallelism, with no function call in between.
 */
export async function startBaselineLoop(options: BaselineOptions): Promise<BaselineLoop> {
  const { kafka, input, output, groupId, batchSize, transactional } = options;
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
  const producers = new Map<number, Producer>();
  const shared = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await shared.connect();

  async function producerFor(partition: number): Promise<Producer> {
    let producer = producers.get(partition);
    if (producer === undefined) {
      producer = kafka.producer({
        transactionalId: `${groupId}-${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 5, initialRetryTime: 10 },
      });
      await producer.connect();
      producers.set(partition, producer);
    }
    return producer;
  }

  async function publish(partition: number, messages: KafkaMessage[]): Promise<void> {
    const next = (BigInt(messages[messages.length - 1]!.offset) + 1n).toString();
    const out = messages.map((message) => ({ key: message.key, value: message.value }));
    if (!transactional) {
      await shared.send({ topic: output, messages: out, acks: -1 });
      await consumer.commitOffsets([{ topic: input, partition, offset: next }]);
      return;
    }
    const transaction = await (await producerFor(partition)).transaction();
    try {
      await transaction.send({ topic: output, messages: out, acks: -1 });
      await transaction.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic: input, partitions: [{ partition, offset: next }] }],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }

  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning }) => {
      for (const chunk of chunks(batch.messages, batchSize)) {
        if (!isRunning()) return;
        await publish(batch.partition, chunk);
        resolveOffset(chunk[chunk.length - 1]!.offset);
        await heartbeat();
      }
    },
  });

  return {
    async stop() {
      await consumer.disconnect();
      await Promise.all([...producers.values()].map((producer) => producer.disconnect()));
      await shared.disconnect();
    },
  };
}
