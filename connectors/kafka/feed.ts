import type { Publisher, PublisherOptions } from './publisher.ts';
import type { FetchedMessage } from './records.ts';

export type { FetchedMessage } from './records.ts';

/** What a feed tells its function consumer about the group and the records. */
export interface FeedEvents {
  /**
   * The group gave this instance these partitions of the topic (a join, also after a restart).
   * The promise settles once their positions take records.
   */
  assigned(partitions: number[]): Promise<void>;
  /**
   * Membership ended or is being renegotiated (a rebalance began, or the client stopped its
   * consumer): the partitions may go to another instance at once, so nothing taken may commit.
   */
  revoked(): void;
  /** Records of one partition in offset order; the fetch ended at `lastOffset`. */
  fetched(partition: number, messages: readonly FetchedMessage[], lastOffset: string): void;
  /** The partition's consume position moved to `next` without records (over transaction markers). */
  movedPast(partition: number, next: bigint): void;
  crashed(error: Error, restart: boolean): void;
  /** Something the operator should know, not an error of the feed's own. */
  warned(message: string): void;
}

export interface FeedPublisherOptions extends PublisherOptions {
  delivery: 'transactional' | 'sink';
  transactionalId: string;
}

/** Why a position is moved to the committed offsets: a new assignment, or a rewind after a fault. */
export type TakeOverReason = 'assigned' | 'rewind';

/**
 * One function's Kafka side on this instance, with one Kafka client: its consumer group
 * membership, fetching, flow control, and the publisher of its cycles. The function consumer and
 * its cycle loop are the same whichever client serves them (kafkajs-feed.ts, rdkafka-feed.ts).
 */
export interface FunctionFeed {
  readonly client: 'kafkajs' | 'librdkafka';
  /** Makes the publisher of the function's cycles (fencing an earlier incarnation), before fetching starts. */
  publisher(options: FeedPublisherOptions): Promise<Publisher>;
  /** Joins the group and fetches; `events` hears of assignments and records while `accepting()`. */
  run(events: FeedEvents, accepting: () => boolean): Promise<void>;
  /**
   * Moves fetching of `partitions` to the group's committed offsets once no transaction of an
   * earlier owner can still commit them, and returns those offsets (a partition without a commit
   * is absent), or undefined when `live()` turned false meanwhile.
   */
  takeOver(
    partitions: number[],
    reason: TakeOverReason,
    live: () => boolean,
  ): Promise<{ committed: Map<number, bigint>; stableAfterMs: number } | undefined>;
  pause(partition: number): void;
  resume(partition: number): void;
  /** Stops fetching every partition (a stop). */
  pauseAll(): void;
  /** The group heard from this instance recently enough for it to commit. */
  recentlyHeard(): boolean;
  /** Leaves the group and closes every client of the feed. */
  close(): Promise<void>;
}
