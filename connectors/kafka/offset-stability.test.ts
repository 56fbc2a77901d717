import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import {
  javaStringHash,
  offsetsPartitionFor,
  waitForStableOffsets,
  type StabilityDeps,
} from './offset-stability.ts';

describe('javaStringHash', () => {
  // values printed by Java's own String.hashCode
  it.each([
    ['cdnfaas-predict', 1281398246],
    ['cdnfaas-provide', 1291169710],
    ['é-group-ü', 1180386378],
    ['polygenelubricants', -2147483648],
    ['', 0],
  ])('%s -> %d', (text, hash) => expect(javaStringHash(text)).toBe(hash));
});

describe('offsetsPartitionFor', () => {
  it('is abs(hash) % partitions, with Integer.MIN_VALUE mapped to 0 as Kafka does', () => {
    expect(offsetsPartitionFor('cdnfaas-predict', 50)).toBe(1281398246 % 50);
    expect(offsetsPartitionFor('polygenelubricants', 50)).toBe(0);
  });
});

function fakeKafka(stableAfter: number[], written = 100n) {
  let clock = 0;
  const reads: number[] = [];
  const deps: StabilityDeps = {
    partitionCount: async () => 50,
    highWatermark: async () => written,
    lastStableOffset: async (_topic, partition) => {
      reads.push(partition);
      return BigInt(stableAfter.shift() ?? Number(written));
    },
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  };
  return { deps, reads };
}

describe('waitForStableOffsets', () => {
  it('returns at once when nothing is pending', async () => {
    const { deps, reads } = fakeKafka([100]);
    expect(await waitForStableOffsets('g', deps, 1000)).toEqual({ waitedMs: 0 });
    expect(reads).toEqual([offsetsPartitionFor('g', 50)]);
  });

  it('waits until the stable offset reaches what was written when it began', async () => {
    const { deps, reads } = fakeKafka([90, 90, 95, 100]);
    const { waitedMs } = await waitForStableOffsets('g', deps, 1000);
    expect(reads).toHaveLength(4);
    expect(waitedMs).toBe(2 + 4 + 8);
  });

  it('gives up with a typed error naming the partition when a transaction stays open', async () => {
    const { deps } = fakeKafka(new Array(1000).fill(90));
    const error = await waitForStableOffsets('g', deps, 500).catch((caught: unknown) => caught);
    expect(isCdnfaasError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /__consumer_offsets\[\d+\] is still open \(stable 90, written 100\)/,
    );
  });
});
