import {
  Partitioners,
  type Consumer,
  type Kafka,
  type Producer,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import type { PublishPlan } from './publish-plan.ts';
import {
  publishInTransaction,
  publishThenCommit,
  type PublishResult,
  type PublishTiming,
  type TransactionalProducer,
} from './publish-cycle.ts';
import { requestGroups, type ClusterSize } from '../../lib/kafka-request-groups.ts';
import { splitIntoRequests } from './request-chunks.ts';
import type { RetryPolicy } from '../../lib/backoff.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { describePartitions, unansweredPartitions } from '../../lib/kafka-unanswered.ts';

export type { PublishResult, PublishTiming } from './publish-cycle.ts';

/**
 * Sends a finished cycle and commits its offsets, retrying until done. `mayCommit` turns false
 * when the partitions were revoked or reassigned meanwhile (or this instance may have been
 * dropped from its group): the cycle is then dropped uncommitted and the partitions' owner
 * consumes it again.
 */
export interface Publisher {
  /**
   * Makes this instance's transactional id its own before anything is read: a new producer
   * fences an earlier incarnation (the process before a restart) and completes or aborts the
   * transaction it left open.
   */
  prepare(): Promise<void>;
  publish(
    plan: PublishPlan,
    mayCommit: () => boolean,
    signal: AbortSignal,
    timing?: PublishTiming,
  ): Promise<PublishResult>;
  close(): Promise<void>;
}

export interface PublisherOptions {
  groupId: string;
  topic: string;
  policy: RetryPolicy;
  onFailure(attempt: number, delayMs: number, error: unknown): void;
  /** The cluster's broker count: with more than one, a send carries one partition at a time. */
  cluster: ClusterSize;
}

/** The produce requests of a plan, one after another (lib/kafka-request-groups.ts), each within the size limit. */
function requestsOf(plan: PublishPlan, cluster: ClusterSize): TopicMessages[][] {
  return requestGroups(plan.topicMessages, cluster.brokers()).flatMap((group) => splitIntoRequests(group));
}

/**
 * Fails a send that left out a partition it named (see lib/kafka-unanswered.ts): the publish is
 * retried whole, in a new transaction, so the partial one is aborted and nothing is lost.
 */
function checkAnswered(topicMessages: TopicMessages[], answers: RecordMetadata[]): void {
  const missing = unansweredPartitions(topicMessages, answers);
  if (missing.length > 0)
    throw new CdnfaasError(
      'UPSTREAM_FAILED',
      `Kafka client reported a send as done without sending to ${describePartitions(missing)} (a leader moved)`,
      { hint: 'the cycle is published again in a new transaction' },
    );
}

/**
 * CONCURRENT_TRANSACTIONS answers the first request of a transaction while the markers of the
 * previous commit are still being written, which takes milliseconds: retry often and flat
 * rather than with kafkajs's doubling, which turned a 5 ms wait into 160 ms.
 */
export const producerRetry = { retries: 25, initialRetryTime: 5, multiplier: 1.5, maxRetryTime: 100 };

/**
 * An open transaction the coordinator aborts by itself when its producer stops (killed, frozen):
 * shorter than the consumer's session timeout, so such a transaction is gone before the group
 * hands its partitions to another instance.
 */
export const transactionTimeoutMs = 10_000;

/**
 * Topic-to-topic stages, as Kafka Streams' exactly-once v2 does: one transactional producer per
 * function and connector instance carries every partition the instance owns; the outputs, dead
 * letters and consumed offsets of a whole cycle are one transaction, so each input's outputs
 * become visible to read_committed consumers exactly once. The transactional id is fixed per
 * instance (`<group>-<instance>`), so a restarted instance fences its earlier incarnation.
 * A partition that moves between instances is made safe by the new owner (offset-stability.ts)
 * and by `mayCommit`, checked right before the offsets are sent and before the commit.
 */
export function createTransactionalPublisher(
  kafka: Kafka,
  options: PublisherOptions & {
    transactionalId: string;
    committedOffsets(partitions: number[]): Promise<Map<number, bigint>>;
  },
): Publisher {
  let producer: Producer | undefined;

  async function connected(): Promise<Producer> {
    if (producer === undefined) {
      const fresh = kafka.producer({
        transactionalId: options.transactionalId,
        transactionTimeout: transactionTimeoutMs,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: producerRetry,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await fresh.connect();
      producer = fresh;
    }
    return producer;
  }

  async function discardProducer(): Promise<void> {
    const old = producer;
    producer = undefined;
    await old?.disconnect().catch(() => undefined);
  }

  /**
   * A new producer registers the transactional id (InitProducerId, which kafkajs sends at the
   * first transaction, not at connect): the coordinator first completes or aborts whatever
   * transaction an earlier producer of this id left, markers written, and fences that producer.
   */
  async function fence(): Promise<void> {
    await discardProducer();
    const transaction = await (await connected()).transaction();
    await transaction.abort(); // nothing was added: no request, the producer is ready
  }

  const transactional: TransactionalProducer = {
    async begin(plan) {
      const transaction = await (await connected()).transaction();
      return {
        async send() {
          for (const topicMessages of requestsOf(plan, options.cluster))
            checkAnswered(topicMessages, await transaction.sendBatch({ topicMessages, acks: -1 }));
        },
        sendOffsets: () =>
          transaction.sendOffsets({
            consumerGroupId: options.groupId,
            topics: [{ topic: options.topic, partitions: plan.offsets }],
          }),
        commit: () => transaction.commit(),
        abort: () => transaction.abort(),
      };
    },
    fence,
    discard: discardProducer,
    committedOffsets: (partitions) => options.committedOffsets(partitions),
  };
  return {
    prepare: fence,
    publish: (plan, mayCommit, signal, timing) =>
      publishInTransaction(
        transactional,
        { plan, mayCommit, signal, timing },
        {
          ...options,
          afterFailure: () => options.cluster.refresh(),
        },
      ),
    close: discardProducer,
  };
}

/**
 * Sink stages: the function already acknowledged its write; dead letters (and any outputs) are
 * sent, then the offsets are committed. Re-delivery after a crash is harmless because sinks
 * write idempotently.
 */
export function createSinkPublisher(
  producer: Producer,
  consumer: Consumer,
  options: PublisherOptions,
): Publisher {
  return {
    async prepare() {
      // at least once: nothing to fence
    },
    publish: (plan, mayCommit, signal, timing) =>
      publishThenCommit(
        {
          async send(cycle) {
            for (const topicMessages of requestsOf(cycle, options.cluster))
              checkAnswered(topicMessages, await producer.sendBatch({ topicMessages, acks: -1 }));
          },
          commit: (offsets) =>
            consumer.commitOffsets(
              offsets.map((entry) => ({
                topic: options.topic,
                partition: entry.partition,
                offset: entry.offset,
              })),
            ),
        },
        { plan, mayCommit, signal, timing },
        { ...options, afterFailure: () => options.cluster.refresh() },
      ),
    async close() {
      // the producer belongs to the function's consumer and is closed with it
    },
  };
}

/**
 * The publisher a function's delivery needs: transactional for topic stages (one producer per
 * function and instance), or sends and offset commits through the consumer for sinks (with an
 * idempotent producer of its own for dead letters, returned so the consumer closes it).
 */
export async function publisherFor(
  kafka: Kafka,
  consumer: Consumer,
  options: PublisherOptions & {
    delivery: 'transactional' | 'sink';
    transactionalId: string;
    committedOffsets(partitions: number[]): Promise<Map<number, bigint>>;
  },
): Promise<{ publisher: Publisher; producer?: Producer }> {
  if (options.delivery === 'sink') {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: producerRetry,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return { publisher: createSinkPublisher(producer, consumer, options), producer };
  }
  return { publisher: createTransactionalPublisher(kafka, options) };
}
