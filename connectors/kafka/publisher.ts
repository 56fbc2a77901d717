import {
  Partitioners,
  type Consumer,
  type Kafka,
  type Producer,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import type { PartitionOffset, PublishPlan } from './publish-plan.ts';
import { requestGroups, type ClusterSize } from '../../lib/kafka-request-groups.ts';
import { splitIntoRequests } from './request-chunks.ts';
import { backoffDelay, sleep, type RetryPolicy } from '../../lib/backoff.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { describePartitions, unansweredPartitions } from '../../lib/kafka-unanswered.ts';

export type PublishResult = 'committed' | 'stale';

/** Where a cycle's publish time went, in ms: sending outputs and dead letters, then committing. */
export interface PublishTiming {
  produceMs: number;
  commitMs: number;
}

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

  async function alreadyCommitted(offsets: PartitionOffset[]): Promise<boolean> {
    const committed = await options.committedOffsets(offsets.map((entry) => entry.partition));
    return offsets.every((entry) => (committed.get(entry.partition) ?? -1n) >= BigInt(entry.offset));
  }

  return {
    prepare: fence,
    async publish(plan, mayCommit, signal, timing) {
      let committing = false;
      for (let attempt = 1; ; attempt += 1) {
        try {
          if (committing) {
            // The previous commit failed without an answer: find out whether it happened. Only
            // once that transaction is complete do the group's offsets tell; read earlier, a
            // commit whose markers are still being written looks like none, and the cycle's
            // outputs would be published twice.
            await fence();
            if (await alreadyCommitted(plan.offsets)) return 'committed';
            committing = false;
          }
          if (!mayCommit()) return 'stale';
          const started = performance.now();
          const transaction = await (await connected()).transaction();
          try {
            for (const topicMessages of requestsOf(plan, options.cluster))
              checkAnswered(topicMessages, await transaction.sendBatch({ topicMessages, acks: -1 }));
            const produced = performance.now();
            if (!mayCommit()) {
              await transaction.abort();
              return 'stale';
            }
            await transaction.sendOffsets({
              consumerGroupId: options.groupId,
              topics: [{ topic: options.topic, partitions: plan.offsets }],
            });
            if (!mayCommit()) {
              await transaction.abort();
              return 'stale';
            }
            committing = true;
            await transaction.commit();
            if (timing !== undefined) {
              timing.produceMs = produced - started;
              timing.commitMs = performance.now() - produced;
            }
            return 'committed';
          } catch (error) {
            if (!committing) await transaction.abort().catch(() => undefined);
            throw error;
          }
        } catch (error) {
          await discardProducer();
          await options.cluster.refresh().catch(() => undefined);
          if (signal.aborted) throw error;
          const delayMs = backoffDelay(options.policy, attempt);
          options.onFailure(attempt, delayMs, error);
          await sleep(delayMs, signal);
        }
      }
    },
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
    async publish(plan, mayCommit, signal, timing) {
      let sent = plan.topicMessages.length === 0;
      for (let attempt = 1; ; attempt += 1) {
        try {
          if (!mayCommit()) return 'stale';
          const started = performance.now();
          if (!sent) {
            for (const topicMessages of requestsOf(plan, options.cluster))
              checkAnswered(topicMessages, await producer.sendBatch({ topicMessages, acks: -1 }));
            sent = true;
          }
          const produced = performance.now();
          if (!mayCommit()) return 'stale';
          await consumer.commitOffsets(
            plan.offsets.map((entry) => ({
              topic: options.topic,
              partition: entry.partition,
              offset: entry.offset,
            })),
          );
          if (timing !== undefined) {
            timing.produceMs = produced - started;
            timing.commitMs = performance.now() - produced;
          }
          return 'committed';
        } catch (error) {
          if (signal.aborted) throw error;
          await options.cluster.refresh().catch(() => undefined);
          const delayMs = backoffDelay(options.policy, attempt);
          options.onFailure(attempt, delayMs, error);
          await sleep(delayMs, signal);
        }
      }
    },
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
