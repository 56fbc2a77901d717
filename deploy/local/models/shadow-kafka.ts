// The Kafka side of a shadow: its output topics, where its consumer group starts, and the
// clean-up when it is dropped.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { CdnfaasError } from '../../../lib/errors.ts';

/**
 * Creates the shadow's output topics with the live outputs' partition counts (outputs are
 * co-partitioned with the input), and starts the shadow's consumer group where the live group
 * is: without committed offsets it would read the input from its beginning and take long to
 * reach the records the live model is scoring now.
 */
export async function prepareShadowStream(
  admin: Admin,
  plan: { input: string; liveGroup: string; shadowGroup: string; outputs: { live: string; shadow: string }[] },
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = plan.outputs.filter((output) => !existing.has(output.shadow));
  if (missing.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: missing.map((output) => output.live) });
    const partitions = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
    await admin.createTopics({
      topics: missing.map((output) => ({ topic: output.shadow, numPartitions: partitions.get(output.live) ?? 1 })),
      waitForLeaders: true,
    });
  }
  const [committed] = await admin.fetchOffsets({ groupId: plan.liveGroup, topics: [plan.input] });
  const partitions = (committed?.partitions ?? []).filter((partition) => Number(partition.offset) >= 0);
  if (partitions.length > 0)
    await admin.setOffsets({
      groupId: plan.shadowGroup,
      topic: plan.input,
      partitions: partitions.map(({ partition, offset }) => ({ partition, offset })),
    });
}

/** Deletes the shadow's consumer group (once the connector has let go of it) and output topics. */
export async function dropShadowStream(
  admin: Admin,
  plan: { shadowGroup: string; shadowTopics: string[] },
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const groups = await admin.listGroups();
    if (!groups.groups.some((group) => group.groupId === plan.shadowGroup)) break;
    try {
      await admin.deleteGroups([plan.shadowGroup]);
      break;
    } catch (error) {
      // NON_EMPTY_GROUP until the connector notices the function is gone and leaves the group.
      if (Date.now() > deadline)
        throw new CdnfaasError('TIMEOUT', `the consumer group ${plan.shadowGroup} still has members`, {
          hint: 'is the connector still feeding the shadow? check npx cdnfaas status',
          cause: error,
        });
      await sleep(500);
    }
  }
  const existing = new Set(await admin.listTopics());
  const topics = plan.shadowTopics.filter((topic) => existing.has(topic));
  if (topics.length > 0) await admin.deleteTopics({ topics });
}
