// The echo stage with librdkafka through @confluentinc/kafka-javascript's native API: Kafka's
// exactly-once v2, one transactional producer for all partitions, offsets sent with
// sendOffsetsToTransaction and the consumer (whose group metadata fences zombies).
// The package is an optional dependency with a native build, so it is loaded at run time and
// typed here by the few calls the stage makes.
import {
  rdCall as call,
  type RdCallback as Callback,
  type RdConsumer,
  type RdkafkaModule,
  type RdMessage,
  type RdProducer,
  type RdTopicPartition,
} from '../../lib/rdkafka.ts';
import type { EchoCounters, EchoStage, EchoTopics } from './echo-figures.ts';

export { loadRdkafka } from '../../lib/rdkafka.ts';

// An empty consume waits this long per poll, which bounds what an idle stage adds to latency.
const consumeTimeoutMs = 10;
const maxBatch = 5_000;
const transactionTimeoutMs = 30_000;

export async function startRdkafkaEcho(
  rdkafka: RdkafkaModule,
  topics: EchoTopics,
  counters: EchoCounters,
): Promise<EchoStage> {
  const brokers = topics.brokers.join(',');
  const consumer = new rdkafka.KafkaConsumer(
    {
      'bootstrap.servers': brokers,
      'group.id': topics.groupId,
      'enable.auto.commit': false,
      'isolation.level': 'read_committed',
    },
    { 'auto.offset.reset': 'earliest' },
  );
  const producer = new rdkafka.Producer({
    'bootstrap.servers': brokers,
    'transactional.id': topics.transactionalId,
  });
  await call('consumer connect', (done) => consumer.connect({}, done));
  await call('producer connect', (done) => producer.connect({}, done));
  await call('initTransactions', (done) => producer.initTransactions(transactionTimeoutMs, done));
  consumer.setDefaultConsumeTimeout(consumeTimeoutMs);
  consumer.subscribe([topics.input]);

  const state = { running: true };
  const loop = echoLoop(consumer, producer, topics, counters, state).catch((error: unknown) => {
    counters.failure = error;
  });
  return {
    stop: async () => {
      state.running = false;
      await loop;
      await call('consumer disconnect', (done) => consumer.disconnect(done));
      await call('producer disconnect', (done) => producer.disconnect(done));
    },
  };
}

async function echoLoop(
  consumer: RdConsumer,
  producer: RdProducer,
  topics: EchoTopics,
  counters: EchoCounters,
  state: { running: boolean },
): Promise<void> {
  while (state.running) {
    const messages = await call('consume', (done: Callback<RdMessage[]>) => consumer.consume(maxBatch, done));
    if (messages.length === 0) continue;
    counters.firstRecordAt ??= performance.now();
    await echoTransaction(consumer, producer, topics, messages, counters);
  }
}

async function echoTransaction(
  consumer: RdConsumer,
  producer: RdProducer,
  topics: EchoTopics,
  messages: RdMessage[],
  counters: EchoCounters,
): Promise<void> {
  await call('beginTransaction', (done) => producer.beginTransaction(done));
  try {
    for (const message of messages)
      producer.produce(topics.output, message.partition, message.value, message.key);
    const started = performance.now();
    await call('sendOffsetsToTransaction', (done) =>
      producer.sendOffsetsToTransaction(nextOffsets(messages), consumer, transactionTimeoutMs, done),
    );
    await call('commitTransaction', (done) => producer.commitTransaction(transactionTimeoutMs, done));
    const committed = performance.now();
    counters.commitLatenciesMs.push(committed - started);
    counters.lastCommitAt = committed;
  } catch (error) {
    await call('abortTransaction', (done) => producer.abortTransaction(transactionTimeoutMs, done)).catch(
      () => undefined,
    );
    throw error;
  }
  counters.transactions += 1;
  counters.records += messages.length;
}

type RdPartitionOffset = Required<RdTopicPartition>;

/** Per partition, the offset after the last consumed record: what the group resumes from. */
export function nextOffsets(
  messages: readonly Pick<RdMessage, 'topic' | 'partition' | 'offset'>[],
): RdPartitionOffset[] {
  const next = new Map<string, RdPartitionOffset>();
  for (const { topic, partition, offset } of messages) {
    const key = `${topic}\u0000${partition}`;
    const seen = next.get(key);
    if (seen === undefined || offset + 1 > seen.offset)
      next.set(key, { topic, partition, offset: offset + 1 });
  }
  return [...next.values()];
}
