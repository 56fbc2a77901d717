import type { Admin, Kafka } from 'kafkajs';
import { CdnfaasError } from '../../lib/errors.ts';
import { sleep } from '../../lib/backoff.ts';

/**
 * A partition that moves to this instance may still have a transaction of its earlier owner in
 * flight: its offsets sent (TxnOffsetCommit) but not yet committed. Kafka's own consumers ask
 * for stable offsets (OffsetFetch with require_stable, KIP-447), which kafkajs does not speak.
 * The same guarantee, from what it does speak: a pending transactional offset commit holds back
 * the last stable offset (LSO) of the group's partition of `__consumer_offsets`; once the LSO
 * reaches the high watermark seen at the start, every transaction that had sent offsets for the
 * group by then is committed or aborted, and reading the committed offsets is safe.
 */

const offsetsTopic = '__consumer_offsets';

/** Java's String.hashCode, as Kafka hashes a group id onto a partition of __consumer_offsets. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index += 1)
    hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  return hash;
}

/** The partition of __consumer_offsets holding a group's commits (Kafka's Utils.abs(hash) % n). */
export function offsetsPartitionFor(groupId: string, partitions: number): number {
  const hash = javaStringHash(groupId);
  const abs = hash === -2147483648 ? 0 : Math.abs(hash);
  return abs % partitions;
}

export interface StabilityDeps {
  /** The high watermark: every record written, committed or not. */
  highWatermark(topic: string, partition: number): Promise<bigint>;
  /** The last stable offset: every transaction with records before it is committed or aborted. */
  lastStableOffset(topic: string, partition: number): Promise<bigint>;
  partitionCount(topic: string): Promise<number>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Waits until no transaction that had sent offsets for `groupId` before this call is still
 * open. Bounded by `timeoutMs` (a transaction left open by a dead producer is aborted by its
 * coordinator after the transaction timeout); past it, a typed error says what is pending.
 */
export async function waitForStableOffsets(
  groupId: string,
  deps: StabilityDeps,
  timeoutMs: number,
): Promise<{ waitedMs: number }> {
  const started = deps.now();
  const partition = offsetsPartitionFor(groupId, await deps.partitionCount(offsetsTopic));
  const target = await deps.highWatermark(offsetsTopic, partition);
  for (let delayMs = 2; ; delayMs = Math.min(delayMs * 2, 100)) {
    const stable = await deps.lastStableOffset(offsetsTopic, partition);
    if (stable >= target) return { waitedMs: deps.now() - started };
    if (deps.now() - started > timeoutMs) {
      throw new CdnfaasError(
        'UPSTREAM_FAILED',
        `offsets of group ${groupId} stayed unstable for ${timeoutMs} ms: a transaction on ${offsetsTopic}[${partition}] is still open (stable ${stable}, written ${target})`,
        { hint: 'the transaction coordinator aborts it after its timeout; the takeover is retried' },
      );
    }
    await deps.sleep(delayMs);
  }
}

type ClusterFactory = (options: { isolationLevel: number }) => {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[] }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
};

/**
 * The real dependencies. kafkajs's admin lists offsets read_committed only (the LSO); the high
 * watermark needs a read_uncommitted connection, which kafkajs builds for its consumers but does
 * not expose: its cluster factory is reached by its symbol's name (kafkajs 2.2.4, pinned).
 */
export function createStabilityDeps(kafka: Kafka, admin: Admin): StabilityDeps & { close(): Promise<void> } {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (candidate) => candidate.description === 'private:Kafka:createCluster',
  );
  if (symbol === undefined)
    throw new CdnfaasError('INTERNAL', 'this kafkajs version hides its cluster factory; pin kafkajs 2.2.4');
  const createCluster = (kafka as unknown as Record<symbol, ClusterFactory>)[symbol]!;
  const uncommitted = createCluster({ isolationLevel: 0 });
  let connected: Promise<void> | undefined;
  return {
    async highWatermark(topic, partition) {
      connected ??= uncommitted.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      await uncommitted.addTargetTopic(topic);
      const [answer] = await uncommitted.fetchTopicsOffset([{ topic, partitions: [{ partition }] }]);
      return BigInt(answer!.partitions.find((entry) => entry.partition === partition)!.offset);
    },
    async lastStableOffset(topic, partition) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return BigInt(offsets.find((entry) => entry.partition === partition)!.offset);
    },
    async partitionCount(topic) {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      return metadata.topics[0]!.partitions.length;
    },
    now: () => Date.now(),
    sleep: (ms) => sleep(ms),
    async close() {
      if (connected !== undefined) await uncommitted.disconnect().catch(() => undefined);
    },
  };
}
