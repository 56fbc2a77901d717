import type { FeedEvents, FeedPublisherOptions, FetchedMessage, FunctionFeed } from './feed.ts';
import type { Publisher } from './publisher.ts';
import {
  rdkafkaSinkPublisher,
  rdkafkaTransactionalPublisher,
  type RdkafkaGroup,
} from './rdkafka-publisher.ts';
import { sleep } from '../../lib/backoff.ts';
import {
  rdCall,
  rdDisconnect,
  rdRequestTimeoutMs,
  type RdConfig,
  type RdError,
  type RdkafkaModule,
  type RdMessage,
  type RdProducer,
  type RdTopicPartition,
} from '../../lib/rdkafka.ts';

/** librdkafka's logical offset for "the partition's first record". */
const offsetBeginning = -2;
/**
 * How long a consume waits for the first record. The binding's consume of n records waits this
 * long after every record until it has n, so the loop waits for one and then takes whatever else
 * is ready without waiting (timeout 0).
 */
const consumeTimeoutMs = 50;
/** Records one consume call hands over at most. */
const consumeMaxRecords = 5_000;
/** How often an idle consumer's positions are read, to commit past transaction markers. */
const positionScanMs = 50;

/**
 * A function's Kafka side with librdkafka (lib/rdkafka.ts). librdkafka speaks KIP-447: the
 * offsets of a transaction carry the consumer's group generation, so a fenced or outdated member
 * cannot commit them, and a new owner's OffsetFetch waits (`require_stable`) until no transaction
 * holding offsets of the group is open. A new assignment therefore starts at once, at the offsets
 * librdkafka reads itself; only a rewind after a fault moves the consumer explicitly.
 *
 * One loop consumes. The group's assignment changes only between two consume calls of it: a
 * call under way when the group rebalances (or a rewind begins) may hold records of the old
 * assignment, which are dropped and fetched again by their next owner.
 */
export function rdkafkaFeed(
  rdkafka: RdkafkaModule,
  connection: RdConfig,
  at: { groupId: string; topic: string; batchMaxBytes: number },
): FunctionFeed {
  const { ERRORS } = rdkafka.CODES;
  const topic = at.topic;
  let events: FeedEvents | undefined;
  /** Bumped whenever records fetched so far may belong to an outdated assignment or position. */
  let epoch = 0;
  let pendingAssignment: RdTopicPartition[] | undefined;
  let assigned: number[] = [];
  let running = false;
  let consuming: Promise<unknown> = Promise.resolve();
  let rewinding: Promise<void> | undefined;
  let loop: Promise<void> | undefined;
  let lastScan = 0;
  let producer: RdProducer | undefined;

  const consumer = new rdkafka.KafkaConsumer(
    {
      ...connection,
      'client.id': 'cdnfaas-connector',
      'group.id': at.groupId,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'isolation.level': 'read_committed',
      'allow.auto.create.topics': false,
      'session.timeout.ms': 30_000,
      // also the rebalance timeout the group waits for its members to rejoin (kafkajs's 60 s);
      // the loop calls consume at least every consumeTimeoutMs, far within it
      'max.poll.interval.ms': 60_000,
      'fetch.wait.max.ms': 100,
      'fetch.error.backoff.ms': 10,
      'max.partition.fetch.bytes': Math.min(at.batchMaxBytes * 2, 16 * 1024 * 1024),
      'queued.max.messages.kbytes': 16 * 1024,
      'socket.nagle.disable': true,
      offset_commit_cb: true,
      rebalance_cb: (error: RdError, partitions: RdTopicPartition[]) => {
        epoch += 1;
        if (error.code === ERRORS.ERR__ASSIGN_PARTITIONS) {
          pendingAssignment = partitions;
          return;
        }
        pendingAssignment = undefined;
        assigned = [];
        try {
          consumer.unassign();
        } catch {
          // the consumer is closing: nothing is assigned any more
        }
        events?.revoked();
      },
    },
    { 'auto.offset.reset': 'earliest' },
  );
  consumer.on('event.error', (error) => events?.warned(`librdkafka consumer: ${error.message}`));

  const group: RdkafkaGroup = {
    consumer,
    topic,
    async committed(partitions) {
      const answer = await rdCall<RdTopicPartition[]>('committed', (done) =>
        consumer.committed(
          partitions.map((partition) => ({ topic, partition })),
          rdRequestTimeoutMs,
          done,
        ),
      );
      const committed = new Map<number, bigint>();
      for (const entry of answer)
        if (entry.offset !== undefined && entry.offset >= 0)
          committed.set(entry.partition, BigInt(entry.offset));
      return committed;
    },
  };

  function deliver(messages: RdMessage[]): void {
    let partition = -1;
    let run: FetchedMessage[] = [];
    let lastOffset = 0;
    const flush = (): void => {
      if (run.length > 0) events?.fetched(partition, run, String(lastOffset));
      run = [];
    };
    for (const message of messages) {
      if (message.partition !== partition) {
        flush();
        partition = message.partition;
      }
      lastOffset = message.offset;
      run.push({
        offset: String(message.offset),
        key: typeof message.key === 'string' ? Buffer.from(message.key) : (message.key ?? null),
        value: message.value,
        timestamp: String(message.timestamp ?? Date.now()),
      });
    }
    flush();
  }

  /** Reports positions that moved without records: past transaction markers, so idle partitions show no lag. */
  function scanPositions(): void {
    lastScan = performance.now();
    if (assigned.length === 0) return;
    for (const entry of consumer.position(assigned.map((partition) => ({ topic, partition }))))
      if (entry.offset !== undefined && entry.offset >= 0)
        events?.movedPast(entry.partition, BigInt(entry.offset));
  }

  /** Pauses or resumes fetching; a partition no longer assigned (a rebalance under way) has nothing to pause. */
  function flowControl(action: 'pause' | 'resume', partitions: number[]): void {
    const owned = partitions.filter((partition) => assigned.includes(partition));
    if (owned.length === 0) return;
    try {
      consumer[action](owned.map((partition) => ({ topic, partition })));
    } catch (error) {
      events?.warned(`librdkafka ${action} failed: ${(error as Error).message}`);
    }
  }

  /** Waits up to consumeTimeoutMs for a record, then takes every other one that is ready. */
  async function consumeReady(): Promise<RdMessage[]> {
    consumer.setDefaultConsumeTimeout(consumeTimeoutMs);
    const first = await rdCall<RdMessage[]>('consume', (done) => consumer.consume(1, done));
    if (first.length === 0) return first;
    consumer.setDefaultConsumeTimeout(0);
    const rest = await rdCall<RdMessage[]>('consume', (done) =>
      consumer.consume(consumeMaxRecords - 1, done),
    );
    return rest.length === 0 ? first : first.concat(rest);
  }

  async function consumeLoop(accepting: () => boolean): Promise<void> {
    while (running) {
      if (pendingAssignment !== undefined) {
        const partitions = pendingAssignment;
        pendingAssignment = undefined;
        consumer.assign(partitions);
        assigned = partitions.map((entry) => entry.partition);
        await events?.assigned(assigned);
      }
      if (rewinding !== undefined) await rewinding;
      const startedIn = epoch;
      const call = consumeReady();
      consuming = call.catch(() => undefined);
      let messages: RdMessage[];
      try {
        messages = await call;
      } catch (error) {
        events?.warned((error as Error).message);
        await sleep(consumeTimeoutMs);
        continue;
      }
      if (startedIn !== epoch || !accepting()) continue;
      if (messages.length > 0) deliver(messages);
      if (performance.now() - lastScan >= positionScanMs) scanPositions();
    }
  }

  return {
    client: 'librdkafka',
    async publisher(options: FeedPublisherOptions) {
      await rdCall('consumer connect', (done) => consumer.connect({}, done));
      const made: { publisher: Publisher; producer?: RdProducer } =
        options.delivery === 'sink'
          ? await rdkafkaSinkPublisher(rdkafka, connection, group, options)
          : { publisher: rdkafkaTransactionalPublisher(rdkafka, connection, group, options) };
      producer = made.producer;
      await made.publisher.prepare();
      return made.publisher;
    },
    async run(feedEvents: FeedEvents, accepting: () => boolean) {
      events = feedEvents;
      consumer.subscribe([topic]);
      running = true;
      loop = consumeLoop(accepting).catch((error: unknown) => events?.crashed(error as Error, false));
    },
    async takeOver(partitions, reason, live) {
      // librdkafka starts a new assignment at the committed offsets, read once they are stable
      if (reason === 'assigned') return { committed: new Map(), stableAfterMs: 0 };
      let done!: () => void;
      rewinding = new Promise((resolve) => (done = resolve));
      epoch += 1;
      try {
        await consuming;
        const started = performance.now();
        const committed = await group.committed(partitions);
        if (!live()) return undefined;
        for (const partition of partitions) {
          const offset = committed.get(partition);
          await rdCall('seek', (seeked) =>
            consumer.seek(
              { topic, partition, offset: offset === undefined ? offsetBeginning : Number(offset) },
              rdRequestTimeoutMs,
              seeked,
            ),
          );
        }
        epoch += 1;
        return { committed, stableAfterMs: performance.now() - started };
      } finally {
        rewinding = undefined;
        done();
      }
    },
    pause: (partition) => flowControl('pause', [partition]),
    resume: (partition) => flowControl('resume', [partition]),
    pauseAll: () => flowControl('pause', assigned),
    // librdkafka keeps the membership alive on its own threads, and KIP-447 refuses the offsets
    // of a member the group no longer has: the commit itself is the check.
    recentlyHeard: () => true,
    async close() {
      running = false;
      await loop;
      await rdDisconnect(consumer);
      if (producer !== undefined) await rdDisconnect(producer);
    },
  };
}
