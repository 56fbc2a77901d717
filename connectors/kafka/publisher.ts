import { Partitioners, type Consumer, type Kafka, type Producer } from 'kafkajs';
import type { PublishPlan } from './publish-plan.ts';
import { splitIntoRequests } from './request-chunks.ts';
import { backoffDelay, sleep, type RetryPolicy } from './retry.ts';

export interface PartitionRef {
  topic: string;
  partition: number;
}

export type PublishResult = 'committed' | 'stale';

/**
 * Sends a finished batch and commits its offset, retrying until done. `isStale` turns true when
 * the partition was revoked or reassigned meanwhile: the batch is then dropped uncommitted and
 * the partition's new owner consumes it again.
 */
export interface Publisher {
  /**
   * Makes the partition safe to take over, before its committed offset is read: a transactional
   * publisher (re)initialises its producer, which fences any earlier owner of the partition and
   * completes or aborts the transaction it left open.
   */
  prepare(): Promise<void>;
  publish(plan: PublishPlan, isStale: () => boolean, signal: AbortSignal): Promise<PublishResult>;
  close(): Promise<void>;
}

export interface PublisherOptions {
  groupId: string;
  at: PartitionRef;
  policy: RetryPolicy;
  onFailure(attempt: number, delayMs: number, error: unknown): void;
}

// Short first retry: the broker answers CONCURRENT_TRANSACTIONS while the previous commit's markers are
// being written, which clears within milliseconds.
export const producerRetry = { retries: 5, initialRetryTime: 10, maxRetryTime: 1_000 };

/**
 * Topic-to-topic stages: outputs, dead letters and the consumed offset in one Kafka
 * transaction, so each input's outputs become visible to read_committed consumers exactly once.
 * The transactional id is fixed per input partition: a new owner of the partition fences any
 * earlier producer that still holds an open transaction for it.
 */
export function createTransactionalPublisher(
  kafka: Kafka,
  options: PublisherOptions & {
    transactionalId: string;
    committedOffset(at: PartitionRef): Promise<string | undefined>;
  },
): Publisher {
  let producer: Producer | undefined;

  async function connected(): Promise<Producer> {
    if (producer === undefined) {
      const fresh = kafka.producer({
        transactionalId: options.transactionalId,
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

  /** A new producer aborts or completes whatever transaction the old one left open. */
  async function discardProducer(): Promise<void> {
    const old = producer;
    producer = undefined;
    await old?.disconnect().catch(() => undefined);
  }

  return {
    async prepare() {
      await discardProducer();
      await connected();
    },
    async publish(plan, isStale, signal) {
      let committing = false;
      for (let attempt = 1; ; attempt += 1) {
        try {
          if (committing) {
            // The previous commit failed without an answer: find out whether it happened.
            await connected();
            const committed = await options.committedOffset(options.at);
            if (committed !== undefined && BigInt(committed) >= BigInt(plan.commitOffset)) return 'committed';
            committing = false;
          }
          if (isStale()) return 'stale';
          const transaction = await (await connected()).transaction();
          try {
            for (const topicMessages of splitIntoRequests(plan.topicMessages))
              await transaction.sendBatch({ topicMessages, acks: -1 });
            await transaction.sendOffsets({
              consumerGroupId: options.groupId,
              topics: [
                {
                  topic: options.at.topic,
                  partitions: [{ partition: options.at.partition, offset: plan.commitOffset }],
                },
              ],
            });
            if (isStale()) {
              await transaction.abort();
              return 'stale';
            }
            committing = true;
            await transaction.commit();
            return 'committed';
          } catch (error) {
            if (!committing) await transaction.abort().catch(() => undefined);
            throw error;
          }
        } catch (error) {
          await discardProducer();
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
 * sent, then the offset is committed. Re-delivery after a crash is harmless because sinks write
 * idempotently.
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
    async publish(plan, isStale, signal) {
      let sent = plan.topicMessages.length === 0;
      for (let attempt = 1; ; attempt += 1) {
        try {
          if (isStale()) return 'stale';
          if (!sent) {
            for (const topicMessages of splitIntoRequests(plan.topicMessages))
              await producer.sendBatch({ topicMessages, acks: -1 });
            sent = true;
          }
          if (isStale()) return 'stale';
          await consumer.commitOffsets([
            { topic: options.at.topic, partition: options.at.partition, offset: plan.commitOffset },
          ]);
          return 'committed';
        } catch (error) {
          if (signal.aborted) throw error;
          const delayMs = backoffDelay(options.policy, attempt);
          options.onFailure(attempt, delayMs, error);
          await sleep(delayMs, signal);
        }
      }
    },
    async close() {
      // the producer is shared by the function's partitions and closed with them
    },
  };
}
