import type { Consumer, ConsumerRunConfig, Kafka, KafkaMessage } from 'kafkajs';
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
  /** kafkajs fetched again after a rebalance without reporting a join; the member rejoins. */
  rejoining(): void;
}

/** One fetched batch of a partition, handed over in offset order. */
export type BatchHandler = (partition: number, messages: KafkaMessage[], lastOffset: string) => void;

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
  #events: GroupEvents | undefined;
  #inGroup = false;
  #heardAt = 0;
  /** A rebalance began and no join has been reported since. */
  #awaitingJoin = false;
  #rejoin: Promise<void> | undefined;

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
    this.#events = events;
    const consumer = this.#consumer;
    const names = consumer.events;
    consumer.on(names.REBALANCING, () => {
      this.#awaitingJoin = true;
      events.revoked();
    });
    consumer.on(names.GROUP_JOIN, ({ payload }) => {
      this.#inGroup = true;
      this.#awaitingJoin = false;
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
      this.#awaitingJoin = false;
      events.revoked();
    });
    consumer.on(names.CRASH, ({ payload }) => events.crashed(payload.error, payload.restart));
  }

  /**
   * Runs the consumer: every batch fetched while in the group goes to `onBatch` while
   * `accepting()`.
   *
   * After a rebalance kafkajs rejoins on its own. When that join fails after the coordinator
   * already completed it (a SyncGroup answer lost while the coordinator moves, seen in a rolling
   * restart of a three-node cluster), kafkajs fetches again under its old assignment without
   * reporting a join, and the member would hold no partition while kafkajs reads them. A batch
   * that arrives while a join is still awaited is therefore not handed over: the member leaves
   * and joins again, which kafkajs reports.
   */
  async run(onBatch: BatchHandler, accepting: () => boolean): Promise<void> {
    const config: ConsumerRunConfig = {
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, isRunning, isStale, heartbeat }) => {
        if (!isRunning() || isStale() || !accepting() || !this.#inGroup) return;
        if (this.#awaitingJoin) {
          if (this.#rejoin === undefined)
            this.#rejoin = this.#leaveAndJoin(config, accepting)
              // Not running again: the connector replaces a crashed consumer at its next discovery.
              .catch((error: unknown) => this.#events?.crashed(error as Error, false))
              .finally(() => {
                this.#rejoin = undefined;
              });
          return;
        }
        onBatch(batch.partition, batch.messages, batch.lastOffset());
        await heartbeat();
      },
    };
    await this.#consumer.run(config);
  }

  async #leaveAndJoin(config: ConsumerRunConfig, accepting: () => boolean): Promise<void> {
    this.#events?.rejoining();
    await this.#consumer.stop();
    if (accepting()) await this.#consumer.run(config);
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
