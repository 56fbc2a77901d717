import type { PartitionOffset, PublishPlan } from './publish-plan.ts';
import { backoffDelay, sleep, type RetryPolicy } from '../../lib/backoff.ts';

export type PublishResult = 'committed' | 'stale';

/** Where a cycle's publish time went, in ms: sending outputs and dead letters, then committing. */
export interface PublishTiming {
  produceMs: number;
  commitMs: number;
}

/** One Kafka transaction of a cycle, whichever client runs it. */
export interface CycleTransaction {
  /** Sends (or queues, to be sent by the commit) the plan's outputs and dead letters. */
  send(): Promise<void>;
  /** Adds the plan's consumer offsets to the transaction. */
  sendOffsets(): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** What a transactional publish needs of a client's transactional producer. */
export interface TransactionalProducer {
  /** Begins the transaction that publishes `plan`. */
  begin(plan: PublishPlan): Promise<CycleTransaction>;
  /**
   * A new producer of the transactional id: the coordinator first completes or aborts whatever
   * transaction an earlier producer of this id left, markers written, and fences that producer.
   */
  fence(): Promise<void>;
  /** Drops the producer after a failure; the next begin or fence makes a new one. */
  discard(): Promise<void>;
  /** The group's committed offsets of `partitions`. */
  committedOffsets(partitions: number[]): Promise<Map<number, bigint>>;
}

/** What a publish retries with: backoff, a report of each failure, and what to redo after one. */
export interface PublishRetry {
  policy: RetryPolicy;
  onFailure(attempt: number, delayMs: number, error: unknown): void;
  /** Runs after a failed attempt, before the backoff (e.g. a metadata refresh). */
  afterFailure?(): Promise<void>;
}

/** One cycle's publish as the function loop asks for it (Publisher.publish's arguments). */
export interface CycleToPublish {
  plan: PublishPlan;
  /** Turns false once the cycle's partitions may have another owner: it is then dropped uncommitted. */
  mayCommit(): boolean;
  signal: AbortSignal;
  timing: PublishTiming | undefined;
}

async function backOff(
  retry: PublishRetry,
  attempt: number,
  error: unknown,
  signal: AbortSignal,
): Promise<void> {
  await retry.afterFailure?.().catch(() => undefined);
  if (signal.aborted) throw error;
  const delayMs = backoffDelay(retry.policy, attempt);
  retry.onFailure(attempt, delayMs, error);
  await sleep(delayMs, signal);
}

async function alreadyCommitted(
  producer: TransactionalProducer,
  offsets: PartitionOffset[],
): Promise<boolean> {
  const committed = await producer.committedOffsets(offsets.map((entry) => entry.partition));
  return offsets.every((entry) => (committed.get(entry.partition) ?? -1n) >= BigInt(entry.offset));
}

/**
 * Publishes one cycle in one transaction, retrying until it is committed, or `mayCommit` turns
 * false (checked before the offsets are sent and before the commit): the cycle is then dropped
 * uncommitted ('stale') and the partitions' owner consumes it again.
 */
export async function publishInTransaction(
  producer: TransactionalProducer,
  { plan, mayCommit, signal, timing }: CycleToPublish,
  retry: PublishRetry,
): Promise<PublishResult> {
  let committing = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (committing) {
        // The previous commit failed without an answer: find out whether it happened. Only
        // once that transaction is complete do the group's offsets tell; read earlier, a
        // commit whose markers are still being written looks like none, and the cycle's
        // outputs would be published twice.
        await producer.fence();
        if (await alreadyCommitted(producer, plan.offsets)) return 'committed';
        committing = false;
      }
      if (!mayCommit()) return 'stale';
      const started = performance.now();
      const transaction = await producer.begin(plan);
      try {
        await transaction.send();
        const produced = performance.now();
        if (!mayCommit()) {
          await transaction.abort();
          return 'stale';
        }
        await transaction.sendOffsets();
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
      await producer.discard();
      await backOff(retry, attempt, error, signal);
    }
  }
}

/** A sink's client: dead letters (and any outputs) sent and acknowledged, offsets committed through the consumer. */
export interface SinkClient {
  send(plan: PublishPlan): Promise<void>;
  commit(offsets: PartitionOffset[]): Promise<void>;
}

/**
 * Publishes one sink cycle, retrying until done: its dead letters once, then its offsets (at
 * least once; the function already acknowledged its idempotent write).
 */
export async function publishThenCommit(
  client: SinkClient,
  { plan, mayCommit, signal, timing }: CycleToPublish,
  retry: PublishRetry,
): Promise<PublishResult> {
  let sent = plan.topicMessages.length === 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (!mayCommit()) return 'stale';
      const started = performance.now();
      if (!sent) {
        await client.send(plan);
        sent = true;
      }
      const produced = performance.now();
      if (!mayCommit()) return 'stale';
      await client.commit(plan.offsets);
      if (timing !== undefined) {
        timing.produceMs = produced - started;
        timing.commitMs = performance.now() - produced;
      }
      return 'committed';
    } catch (error) {
      await backOff(retry, attempt, error, signal);
    }
  }
}
