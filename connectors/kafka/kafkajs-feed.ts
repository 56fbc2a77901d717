import type { Admin, Kafka, Producer } from 'kafkajs';
import type { FeedEvents, FeedPublisherOptions, FunctionFeed } from './feed.ts';
import { groupOffsets, type GroupOffsets } from './group-offsets.ts';
import { GroupMember } from './group-member.ts';
import { createStabilityDeps, waitForStableOffsets } from './offset-stability.ts';
import { publisherFor, transactionTimeoutMs } from './publisher.ts';

/**
 * A function's Kafka side with kafkajs. kafkajs speaks neither KIP-447's TxnOffsetCommit with the
 * group generation nor OffsetFetch with `require_stable`, so a new owner of a partition first
 * waits until no transaction of an earlier owner can still commit its offsets
 * (offset-stability.ts), then reads them and moves the consumer there.
 */
export function kafkajsFeed(
  kafka: Kafka,
  admin: Admin,
  at: { groupId: string; topic: string; batchMaxBytes: number },
): FunctionFeed {
  const member = GroupMember.create(kafka, at.groupId, at.topic, at.batchMaxBytes);
  const stability = createStabilityDeps(kafka, admin);
  const offsets: GroupOffsets = groupOffsets(admin, at.groupId, at.topic);
  let producer: Producer | undefined;

  return {
    client: 'kafkajs',
    async publisher(options: FeedPublisherOptions) {
      const made = await publisherFor(kafka, member.consumer, {
        ...options,
        committedOffsets: (partitions) => offsets.committed(partitions),
      });
      producer = made.producer;
      await made.publisher.prepare();
      return made.publisher;
    },
    async run(events: FeedEvents, accepting: () => boolean) {
      member.listen({
        assigned: (partitions) => void events.assigned(partitions),
        revoked: () => events.revoked(),
        markersFetched: (partition, lastOffset) => events.movedPast(partition, BigInt(lastOffset) + 1n),
        crashed: (error, restart) => events.crashed(error, restart),
        rejoining: () =>
          events.warned(
            'fetching resumed after a rebalance without a reported join; leaving and joining the group again',
          ),
      });
      await member.consumer.connect();
      await member.consumer.subscribe({ topic: at.topic, fromBeginning: true });
      await member.run(
        (partition, messages, lastOffset) => events.fetched(partition, messages, lastOffset),
        accepting,
      );
    },
    async takeOver(partitions, _reason, live) {
      const { waitedMs } = await waitForStableOffsets(at.groupId, stability, transactionTimeoutMs * 2);
      if (!live()) return undefined;
      const committed = await offsets.committed(partitions);
      const missing = partitions.filter((partition) => !committed.has(partition));
      const start = missing.length === 0 ? new Map<number, bigint>() : await offsets.logStart(missing);
      if (!live()) return undefined;
      for (const partition of partitions)
        member.seek(partition, committed.get(partition) ?? start.get(partition) ?? 0n);
      return { committed, stableAfterMs: waitedMs };
    },
    pause: (partition) => member.pause(partition),
    resume: (partition) => member.resume(partition),
    pauseAll: () => member.pauseAll(),
    recentlyHeard: () => member.recentlyHeard(),
    async close() {
      await member.consumer.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
      await stability.close();
    },
  };
}
