import type { Admin } from 'kafkajs';
import { withLag, type PartitionLag } from './lag.ts';

/** A consumer group reading one topic, as the connector runs one per function. */
export interface LagTarget {
  function: string;
  groupId: string;
  topic: string;
}

export interface GroupLag extends LagTarget {
  /** When the offsets were read (ms since epoch). */
  at: number;
  /** Members currently in the group: 0 means nobody consumes. */
  members: number;
  state: string;
  partitions: PartitionLag[];
  totalLag: number;
}

/** Reads log start/end and committed offsets through Kafka's admin API (no consumer joins the group). */
export async function readGroupLag(
  admin: Admin,
  target: LagTarget,
  now: () => number = Date.now,
): Promise<GroupLag> {
  const [topicOffsets, groupOffsets, groups] = await Promise.all([
    admin.fetchTopicOffsets(target.topic),
    admin.fetchOffsets({ groupId: target.groupId, topics: [target.topic] }),
    admin.describeGroups([target.groupId]),
  ]);
  const committed = new Map<number, number>();
  for (const entry of groupOffsets.find((topic) => topic.topic === target.topic)?.partitions ?? []) {
    const offset = Number(entry.offset);
    if (offset >= 0) committed.set(entry.partition, offset);
  }
  const partitions = withLag(
    topicOffsets
      .map((entry) => ({
        partition: entry.partition,
        logStartOffset: Number(entry.low),
        logEndOffset: Number(entry.high),
        committedOffset: committed.get(entry.partition) ?? null,
      }))
      .sort((a, b) => a.partition - b.partition),
  );
  const group = groups.groups.find((entry) => entry.groupId === target.groupId);
  return {
    ...target,
    at: now(),
    members: group?.members.length ?? 0,
    state: group?.state ?? 'Unknown',
    partitions,
    totalLag: partitions.reduce((sum, entry) => sum + entry.lag, 0),
  };
}
