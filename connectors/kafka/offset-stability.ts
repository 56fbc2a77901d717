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

type OffsetsCluster = {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[] }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
};
type ClusterFactory = (options: { isolationLevel: number }) => OffsetsCluster;

const readUncommitted = 0;
const readCommitted = 1;

/**
 * The latest offset of one partition, as a connection of the given isolation lists it: the high
 * watermark (read_uncommitted) or the last stable offset (read_committed). A failed answer (the
 * leader moved: a broker restarted) refreshes the connection's metadata, which kafkajs would
 * otherwise keep for minutes, so the caller's next attempt asks the new leader.
 */
function latestOffsetReader(cluster: OffsetsCluster) {
  let connected: Promise<void> | undefined;
  return {
    async read(topic: string, partition: number): Promise<bigint> {
      connected ??= cluster.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      try {
        await cluster.addTargetTopic(topic);
        const [answer] = await cluster.fetchTopicsOffset([{ topic, partitions: [{ partition }] }]);
        return BigInt(answer!.partitions.find((entry) => entry.partition === partition)!.offset);
      } catch (error) {
        await cluster.refreshMetadata().catch(() => undefined);
        throw error;
      }
    },
    async close() {
      if (connected !== undefined) await cluster.disconnect().catch(() => undefined);
    },
  };
}

/**
 * The real dependencies. kafkajs's admin lists offsets read_committed only and keeps a moved
 * leader for minutes; the high watermark needs a read_uncommitted connection. Both come from
 * the cluster factory kafkajs builds its consumers with but does not expose: it is reached by
 * its symbol's name (kafkajs 2.2.4, pinned).
 */
export function createStabilityDeps(kafka: Kafka, admin: Admin): StabilityDeps & { close(): Promise<void> } {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (candidate) => candidate.description === 'private:Kafka:createCluster',
  );
  if (symbol === undefined)
    throw new CdnfaasError('INTERNAL', 'this kafkajs version hides its cluster factory; pin kafkajs 2.2.4');
  const createCluster = (kafka as unknown as Record<symbol, ClusterFactory>)[symbol]!;
  const highWatermarks = latestOffsetReader(createCluster({ isolationLevel: readUncommitted }));
  const stableOffsets = latestOffsetReader(createCluster({ isolationLevel: readCommitted }));
  return {
    highWatermark: (topic, partition) => highWatermarks.read(topic, partition),
    lastStableOffset: (topic, partition) => stableOffsets.read(topic, partition),
    async partitionCount(topic) {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      return metadata.topics[0]!.partitions.length;
    },
    now: () => Date.now(),
    sleep: (ms) => sleep(ms),
    async close() {
      await highWatermarks.close();
      await stableOffsets.close();
    },
  };
}
