import type { Admin, TopicMessages } from 'kafkajs';

/**
 * kafkajs 2.2.4 sends a batch that spans several partition leaders as parallel requests, one per
 * broker, and retries when one fails without waiting for the others: a request still in flight
 * is then sent a second time with the next sequence numbers, the broker takes it as new records,
 * and a transaction that commits holds them twice (the 3-node chaos run: parallel
 * AddPartitionsToTxn requests fail with CONCURRENT_TRANSACTIONS). With more than one broker, each
 * request therefore carries one partition, so nothing else is in flight when one fails; leaders
 * move too often in a rolling restart for a grouping by leader to stay right. With one broker a
 * request carries everything, as before.
 */

/** How many brokers the cluster has, as last seen. */
export interface ClusterSize {
  brokers(): number;
  /** Reads it again (after a failed send). */
  refresh(): Promise<void>;
}

/**
 * The groups to send one after another: all of it with one broker; otherwise one group per
 * topic partition (messages without a partition, which the partitioner places, one group per
 * topic), in the order of each topic's messages. Pure.
 */
export function requestGroups(topicMessages: readonly TopicMessages[], brokers: number): TopicMessages[][] {
  if (brokers <= 1) return topicMessages.length === 0 ? [] : [[...topicMessages]];
  const groups = new Map<string, TopicMessages>();
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const key = `${topic}\u0000${message.partition ?? 'any'}`;
      const group = groups.get(key) ?? { topic, messages: [] };
      groups.set(key, group);
      group.messages.push(message);
    }
  }
  return [...groups.values()].map((group) => [group]);
}

/** The cluster's broker count from its metadata, read at start and on each refresh. */
export async function clusterSize(admin: Admin): Promise<ClusterSize> {
  let brokers = 1;
  const size: ClusterSize = {
    brokers: () => brokers,
    async refresh() {
      brokers = (await admin.describeCluster()).brokers.length;
    },
  };
  await size.refresh();
  return size;
}
