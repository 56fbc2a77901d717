import type { Admin } from 'kafkajs';

/**
 * Partition counts of a function's output topics, for co-partitioned outputs. A missing output
 * topic is left out (asking for its metadata could create it): the publish that needs it reports
 * it, and until it exists its outputs are partitioned by key.
 */
export async function outputPartitionCounts(
  admin: Admin,
  outputs: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (outputs.length === 0) return counts;
  const existing = new Set(await admin.listTopics());
  const present = outputs.filter((topic) => existing.has(topic));
  if (present.length === 0) return counts;
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  for (const topic of metadata.topics) counts.set(topic.name, topic.partitions.length);
  return counts;
}
