import type { Admin, TopicMessages } from 'kafkajs';

/**
 * kafkajs 2.2.4 sends a batch that spans several partition leaders as parallel requests, one per
 * broker, and retries when one fails, without waiting for the others. A request still in flight
 * is then sent a second time with the next sequence numbers: the broker takes it as new records,
 * and a transaction that commits holds them twice (with three brokers, parallel AddPartitionsToTxn
 * requests make that failure common: CONCURRENT_TRANSACTIONS). Sending one leader's partitions at
 * a time leaves nothing in flight when a request fails. With one broker this is one group.
 */

/** Which broker leads a partition, as last seen. */
export interface PartitionLeaders {
  leaderOf(topic: string, partition: number): number | undefined;
  /** Reads the leaders again (after a failed send: one of them may have moved). */
  refresh(): Promise<void>;
}

/**
 * Splits topic messages into groups, one per leader (messages without a partition, or of a
 * partition whose leader is unknown, in a group of their own), keeping the order of each topic's
 * messages within a group. Pure.
 */
export function groupByLeader(
  topicMessages: readonly TopicMessages[],
  leaders: Pick<PartitionLeaders, 'leaderOf'>,
): TopicMessages[][] {
  const groups = new Map<string, Map<string, TopicMessages>>();
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const leader = message.partition === undefined ? undefined : leaders.leaderOf(topic, message.partition);
      const groupKey = leader === undefined ? 'unknown' : String(leader);
      const group = groups.get(groupKey) ?? new Map<string, TopicMessages>();
      groups.set(groupKey, group);
      const entry = group.get(topic) ?? { topic, messages: [] };
      group.set(topic, entry);
      entry.messages.push(message);
    }
  }
  return [...groups.values()].map((group) => [...group.values()]);
}

/** Leaders of `topics` from the cluster's metadata, read at start and on each refresh. */
export async function partitionLeaders(admin: Admin, topics: readonly string[]): Promise<PartitionLeaders> {
  let leaders = new Map<string, number>();
  const lookup: PartitionLeaders = {
    leaderOf: (topic, partition) => leaders.get(`${topic}\u0000${partition}`),
    async refresh() {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((topic) => existing.has(topic));
      const fresh = new Map<string, number>();
      if (present.length > 0) {
        const metadata = await admin.fetchTopicMetadata({ topics: present });
        for (const topic of metadata.topics)
          for (const partition of topic.partitions)
            fresh.set(`${topic.name}\u0000${partition.partitionId}`, partition.leader);
      }
      leaders = fresh;
    },
  };
  await lookup.refresh();
  return lookup;
}
