// The newest records of a topic, for tools that look at what is flowing now (models compare,
// drift) without reading the whole topic: a throw-away consumer group, read_committed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';

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
    .map((p) => ({
      partition: p.partition,
      start: Math.max(Number(p.low), Number(p.high) - perPartition),
      end: Number(p.high),
    }))
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
          records.push({
            key: message.key?.toString('utf8') ?? null,
            value: message.value?.toString('utf8') ?? null,
          });
          reached.set(batch.partition, Math.max(reached.get(batch.partition)!, offset));
          lastArrival = Date.now();
        }
      },
    });
    for (const range of ranges)
      consumer.seek({ topic, partition: range.partition, offset: String(range.start) });
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (!finished() && Date.now() < deadline) await sleep(100);
    return records;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
