import type { IHeaders } from 'kafkajs';
import type { FeedPublisherOptions } from './feed.ts';
import { defaultMaxMessageBytes, type PartitionOffset, type PublishPlan } from './publish-plan.ts';
import { transactionTimeoutMs, type Publisher } from './publisher.ts';
import { publishInTransaction, publishThenCommit, type TransactionalProducer } from './publish-cycle.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import {
  rdCall,
  rdDisconnect,
  rdRequestTimeoutMs as requestTimeoutMs,
  type RdConfig,
  type RdConsumer,
  type RdError,
  type RdHeaders,
  type RdkafkaModule,
  type RdProducer,
  type RdTopicPartition,
} from '../../lib/rdkafka.ts';

/** What a publisher needs of its function's consumer group. */
export interface RdkafkaGroup {
  consumer: RdConsumer;
  topic: string;
  /** The group's committed offsets of `partitions` (stable: no open transaction holds any). */
  committed(partitions: number[]): Promise<Map<number, bigint>>;
}

/** Producer settings both publishers share: send at once, keep order, keep every record of a cycle queued. */
function producerConfig(connection: RdConfig): RdConfig {
  return {
    ...connection,
    'client.id': 'cdnfaas-connector',
    'enable.idempotence': true,
    'linger.ms': 1,
    'socket.nagle.disable': true,
    // CONCURRENT_TRANSACTIONS answers a transaction's first request while the previous commit's
    // markers are still being written, which takes milliseconds; librdkafka's default 100 ms
    // backoff made that the 90th percentile of a transaction (publisher.ts does the same for kafkajs)
    'retry.backoff.ms': 5,
    'queue.buffering.max.messages': 1_000_000,
    'queue.buffering.max.kbytes': 1_048_576,
    // librdkafka refuses a record over 1,000,000 bytes by default; planPublish keeps every record
    // within a batch the broker takes (its default max.message.bytes)
    'message.max.bytes': defaultMaxMessageBytes,
    // the same partition for the same key as kafkajs's and Java's default partitioner
    partitioner: 'murmur2_random',
  };
}

function headersOf(headers: IHeaders | undefined): RdHeaders | undefined {
  if (headers === undefined) return undefined;
  const list: RdHeaders = [];
  for (const [key, value] of Object.entries(headers))
    if (typeof value === 'string' || Buffer.isBuffer(value)) list.push({ [key]: value });
  return list;
}

function valueBytes(value: Buffer | string | null | undefined): Buffer | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? Buffer.from(value) : value;
}

/** Queues every message of a plan on `producer`; librdkafka sends them before its commit (or flush) returns. */
function produceAll(producer: RdProducer, plan: PublishPlan, opaque?: unknown): void {
  for (const { topic, messages } of plan.topicMessages)
    for (const message of messages)
      producer.produce(
        topic,
        message.partition ?? -1,
        valueBytes(message.value),
        message.key ?? null,
        null,
        opaque,
        headersOf(message.headers),
      );
}

function offsetsOf(topic: string, offsets: readonly PartitionOffset[]): RdTopicPartition[] {
  return offsets.map((entry) => ({ topic, partition: entry.partition, offset: Number(entry.offset) }));
}

async function connectProducer(rdkafka: RdkafkaModule, config: RdConfig): Promise<RdProducer> {
  const producer = new rdkafka.Producer(config);
  await rdCall('producer connect', (done) => producer.connect({}, done));
  return producer;
}

/**
 * Topic-to-topic stages, Kafka's exactly-once v2 with librdkafka: one transactional producer per
 * function and instance (`<group>-<instance>`, so a restart fences its earlier incarnation)
 * carries a whole cycle's outputs, dead letters and offsets in one transaction. The offsets go
 * with the consumer's group metadata (KIP-447): the coordinator refuses them from a member of an
 * outdated generation. `mayCommit` is checked before the offsets are sent and before the commit.
 */
export function rdkafkaTransactionalPublisher(
  rdkafka: RdkafkaModule,
  connection: RdConfig,
  group: RdkafkaGroup,
  options: FeedPublisherOptions,
): Publisher {
  let producer: RdProducer | undefined;

  async function discardProducer(): Promise<void> {
    const old = producer;
    producer = undefined;
    if (old !== undefined) await rdDisconnect(old);
  }

  /**
   * A new producer registers the transactional id: the coordinator first completes or aborts
   * whatever transaction an earlier producer of this id left, markers written, and fences it.
   */
  async function fence(): Promise<RdProducer> {
    await discardProducer();
    const fresh = await connectProducer(rdkafka, {
      ...producerConfig(connection),
      'transactional.id': options.transactionalId,
      'transaction.timeout.ms': transactionTimeoutMs,
    });
    producer = fresh;
    try {
      await rdCall('initTransactions', (done) => fresh.initTransactions(requestTimeoutMs, done));
    } catch (error) {
      await discardProducer();
      throw error;
    }
    return fresh;
  }
  const fenceEarlier = async (): Promise<void> => void (await fence());

  const transactional: TransactionalProducer = {
    async begin(plan) {
      const active = producer ?? (await fence());
      await rdCall('beginTransaction', (done) => active.beginTransaction(done));
      return {
        send: async () => produceAll(active, plan),
        sendOffsets: () =>
          rdCall('sendOffsetsToTransaction', (done) =>
            active.sendOffsetsToTransaction(
              offsetsOf(group.topic, plan.offsets),
              group.consumer,
              requestTimeoutMs,
              done,
            ),
          ),
        commit: () => rdCall('commitTransaction', (done) => active.commitTransaction(requestTimeoutMs, done)),
        abort: () => rdCall('abortTransaction', (done) => active.abortTransaction(requestTimeoutMs, done)),
      };
    },
    fence: fenceEarlier,
    discard: discardProducer,
    committedOffsets: (partitions) => group.committed(partitions),
  };

  return {
    prepare: fenceEarlier,
    publish: (plan, mayCommit, signal, timing) =>
      publishInTransaction(transactional, { plan, mayCommit, signal, timing }, options),
    close: discardProducer,
  };
}

/**
 * Offset commits through the consumer, one at a time: librdkafka answers each on the consumer's
 * `offset.commit` event, in the order they were made.
 */
function offsetCommitter(consumer: RdConsumer): (offsets: RdTopicPartition[]) => Promise<void> {
  const waiting: { resolve(): void; reject(error: Error): void }[] = [];
  consumer.on('offset.commit', (error) => {
    const next = waiting.shift();
    if (next === undefined) return;
    if (error)
      next.reject(
        new CdnfaasError('UPSTREAM_FAILED', `librdkafka offset commit failed: ${error.message}`, {
          cause: error,
        }),
      );
    else next.resolve();
  });
  let previous: Promise<void> = Promise.resolve();
  return (offsets) => {
    const commit = previous.then(
      () =>
        new Promise<void>((resolve, reject) => {
          waiting.push({ resolve, reject });
          try {
            consumer.commit(offsets);
          } catch (error) {
            waiting.pop();
            reject(error as Error);
          }
        }),
    );
    previous = commit.catch(() => undefined);
    return commit;
  };
}

/**
 * Sink stages: the function already acknowledged its write; dead letters (and any outputs) are
 * sent and acknowledged, then the offsets are committed. Re-delivery after a crash is harmless
 * because sinks write idempotently.
 */
export async function rdkafkaSinkPublisher(
  rdkafka: RdkafkaModule,
  connection: RdConfig,
  group: RdkafkaGroup,
  options: FeedPublisherOptions,
): Promise<{ publisher: Publisher; producer: RdProducer }> {
  const producer = await connectProducer(rdkafka, { ...producerConfig(connection), dr_cb: true });
  producer.setPollInterval(10);
  producer.on('delivery-report', (error: RdError | null, report) => {
    if (error && typeof report.opaque === 'object' && report.opaque !== null)
      (report.opaque as { failed: string | undefined }).failed = error.message;
  });
  const commit = offsetCommitter(group.consumer);

  async function send(plan: PublishPlan): Promise<void> {
    const delivery: { failed: string | undefined } = { failed: undefined };
    produceAll(producer, plan, delivery);
    await rdCall('flush', (done) => producer.flush(requestTimeoutMs, done));
    if (delivery.failed !== undefined)
      throw new CdnfaasError('UPSTREAM_FAILED', `librdkafka delivery failed: ${delivery.failed}`);
  }

  const publisher: Publisher = {
    async prepare() {
      // at least once: nothing to fence
    },
    publish: (plan, mayCommit, signal, timing) =>
      publishThenCommit(
        { send, commit: (offsets) => commit(offsetsOf(group.topic, offsets)) },
        { plan, mayCommit, signal, timing },
        options,
      ),
    async close() {
      // the producer belongs to the feed and is closed with it
    },
  };
  return { publisher, producer };
}
