import type { Consumer, Kafka } from 'kafkajs';
import { transactionTimeoutMs } from './publisher.ts';

const sessionTimeoutMs = 30_000;
/**
 * A commit needs a heartbeat this recent. An instance that has not heard from its group for
 * longer (a long pause) may have lost its partitions without knowing yet: it waits for the next
 * heartbeat, which tells it, instead of committing records another instance may already have.
 */
const heartbeatFreshMs = sessionTimeoutMs - transactionTimeoutMs;

/** What the membership of a consumer group tells the function consumer. */
export interface GroupEvents {
  /** The group gave this instance these partitions of the topic (a join, also after a restart). */
  assigned(partitions: number[]): void;
  /**
   * Membership ended or is being renegotiated (a rebalance began, or kafkajs stopped the
   * consumer, e.g. after a broker stayed unreachable through all its retries): the partitions
   * may go to another instance at once, so nothing taken so far may commit.
   */
  revoked(): void;
  /** A fetch of only transaction markers ended at `lastOffset`; such fetches never reach eachBatch. */
  markersFetched(partition: number, lastOffset: string): void;
  crashed(error: Error, restart: boolean): void;
}

/**
 * One instance's membership of a function's consumer group, from kafkajs's events: whether it is
 * in the group, when the group last heard from it, and flow control of its partitions.
 *
 * kafkajs drops its consumer group object when the consumer stops or crashes and makes a new one
 * when it restarts and joins; pausing or resuming in between throws. The new object starts with
 * nothing paused, and the join that follows brings a new assignment, so in between flow control
 * has nothing to do.
 */
export class GroupMember {
  readonly #consumer: Consumer;
  readonly #topic: string;
  #inGroup = false;
  #heardAt = 0;

  constructor(consumer: Consumer, topic: string) {
    this.#consumer = consumer;
    this.#topic = topic;
  }

  /** A member of `groupId` reading `topic`, fetching up to twice a batch's bytes per partition. */
  static create(kafka: Kafka, groupId: string, topic: string, batchMaxBytes: number): GroupMember {
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: Math.min(batchMaxBytes * 2, 16 * 1024 * 1024),
      sessionTimeout: sessionTimeoutMs,
      rebalanceTimeout: 60_000,
      retry: { retries: 8, initialRetryTime: 200 },
    });
    return new GroupMember(consumer, topic);
  }

  get consumer(): Consumer {
    return this.#consumer;
  }

  /** The group answered this instance (a join or a heartbeat) recently enough for it to commit. */
  recentlyHeard(now = Date.now()): boolean {
    return now - this.#heardAt < heartbeatFreshMs;
  }

  listen(events: GroupEvents): void {
    const consumer = this.#consumer;
    const names = consumer.events;
    consumer.on(names.REBALANCING, () => events.revoked());
    consumer.on(names.GROUP_JOIN, ({ payload }) => {
      this.#inGroup = true;
      this.#heardAt = Date.now();
      events.assigned(payload.memberAssignment[this.#topic] ?? []);
    });
    consumer.on(names.HEARTBEAT, () => {
      this.#heardAt = Date.now();
    });
    consumer.on(names.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) events.markersFetched(payload.partition, payload.lastOffset);
    });
    consumer.on(names.STOP, () => {
      this.#inGroup = false;
      events.revoked();
    });
    consumer.on(names.CRASH, ({ payload }) => events.crashed(payload.error, payload.restart));
  }

  pause(partition: number): void {
    if (this.#inGroup) this.#consumer.pause([{ topic: this.#topic, partitions: [partition] }]);
  }

  resume(partition: number): void {
    if (this.#inGroup) this.#consumer.resume([{ topic: this.#topic, partitions: [partition] }]);
  }

  /** Stops fetching every partition (a stop). */
  pauseAll(): void {
    try {
      this.#consumer.pause([{ topic: this.#topic }]);
    } catch {
      // kafkajs has no group object (the consumer never ran, or is restarting): nothing fetches
    }
  }

  seek(partition: number, offset: bigint): void {
    this.#consumer.seek({ topic: this.#topic, partition, offset: offset.toString() });
  }
}
