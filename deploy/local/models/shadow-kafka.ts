// The Kafka side of a shadow: its output topics, where its consumer group starts, reading the
// newest records of a topic for a comparison, and the clean-up when it is dropped.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
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

export interface TailRecord {
  key: string | null;
  value: string | null;
}

/**
 * The newest committed records of a topic, up to `perPartition` from each partition, read up to
 * the end the topic had when asked. A partition counts as read when its last data record is in
 * (a transaction's commit marker may follow it) or when nothing arrived for `idleMs`.
 */
export async function readTail(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  perPartition: number,
  options: { idleMs?: number; timeoutMs?: number } = {},
): Promise<TailRecord[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const ranges = offsets
    .map((p) => ({ partition: p.partition, start: Math.max(Number(p.low), Number(p.high) - perPartition), end: Number(p.high) }))
    .filter((range) => range.start < range.end);
  if (ranges.length === 0) return [];
  const groupId = `cdnfaas-models-compare-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  const records: TailRecord[] = [];
  const reached = new Map(ranges.map((range) => [range.partition, range.start - 1]));
  const byPartition = new Map(ranges.map((range) => [range.partition, range]));
  // Idleness counts from the group join: joining takes seconds (the broker's initial rebalance delay).
  let joined = false;
  let lastArrival = Date.now();
  const finished = () =>
    ranges.every((range) => reached.get(range.partition)! >= range.end - 2) ||
    (joined && Date.now() - lastArrival > (options.idleMs ?? 2_000));
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
    lastArrival = Date.now();
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const range = byPartition.get(batch.partition);
        if (range === undefined) return;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < range.start || offset >= range.end) continue;
          records.push({ key: message.key?.toString('utf8') ?? null, value: message.value?.toString('utf8') ?? null });
          reached.set(batch.partition, Math.max(reached.get(batch.partition)!, offset));
          lastArrival = Date.now();
        }
      },
    });
    for (const range of ranges) consumer.seek({ topic, partition: range.partition, offset: String(range.start) });
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (!finished() && Date.now() < deadline) await sleep(100);
    return records;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
