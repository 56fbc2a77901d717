import type { Admin } from 'kafkajs';

/** What a consumer group has committed on its topic, and where the topic's partitions begin. */
export interface GroupOffsets {
  /** The next offset to consume per partition, for the partitions asked that have a commit. */
  committed(partitions: readonly number[]): Promise<Map<number, bigint>>;
  /** Each partition's first offset still in the log (for partitions without a commit). */
  logStart(partitions: readonly number[]): Promise<Map<number, bigint>>;
}

export function groupOffsets(admin: Admin, groupId: string, topic: string): GroupOffsets {
  return {
    async committed(partitions) {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const wanted = new Set(partitions);
      const committed = new Map<number, bigint>();
      for (const entry of offsets?.partitions ?? [])
        if (wanted.has(entry.partition) && entry.offset !== '-1')
          committed.set(entry.partition, BigInt(entry.offset));
      return committed;
    },
    async logStart(partitions) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(
        offsets
          .filter((entry) => partitions.includes(entry.partition))
          .map((entry) => [entry.partition, BigInt(entry.low)]),
      );
    },
  };
}
