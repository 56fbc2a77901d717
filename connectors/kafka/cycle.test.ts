import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { bufferedState, cycleTiming, positionCycle, takeCycle } from './cycle.ts';
import { PartitionPosition } from './partition-position.ts';

function position(partition: number, count: number, receivedAt = 1_000): PartitionPosition {
  const at = new PartitionPosition(
    { topic: 't', partition },
    7,
    () => ({ highWaterRecords: 10_000, highWaterBytes: 1 << 30 }),
    { pause: () => undefined, resume: () => undefined },
  );
  at.release(undefined);
  const messages = Array.from({ length: count }, (_, offset): KafkaMessage => ({
    offset: String(offset),
    key: null,
    value: Buffer.from('{}'),
    timestamp: '900',
    attributes: 0,
    headers: {},
  }));
  if (count > 0) at.push(messages, String(count - 1), receivedAt);
  return at;
}

describe('takeCycle', () => {
  it('takes a batch from each partition in turn until the room is used', () => {
    const positions = [position(0, 10), position(1, 3), position(2, 10)];
    const cycle = takeCycle(positions, { maxRecords: 4, maxBytes: 1 << 20 }, 9, 5_000)!;
    expect(cycle.records.map((record) => `${record.partition}:${record.offset}`)).toEqual([
      '0:0',
      '0:1',
      '0:2',
      '0:3',
      '1:0',
      '1:1',
      '1:2',
      '2:0',
      '2:1',
    ]);
    expect(cycle).toMatchObject({ generation: 7, positionOnly: [], startedAt: 5_000 });
    expect(positions.map((at) => at.buffered)).toEqual([6, 0, 8]);
  });

  it('is undefined with nothing assigned', () => {
    expect(takeCycle([], { maxRecords: 4, maxBytes: 100 }, 10)).toBeUndefined();
  });
});

describe('bufferedState and positionCycle', () => {
  it('sums what is buffered and ages the oldest record', () => {
    expect(bufferedState([position(0, 2, 1_000), position(1, 3, 1_500)], 2_000)).toMatchObject({
      records: 5,
      oldestAgeMs: 1_000,
    });
    expect(bufferedState([position(0, 0)])).toEqual({ records: 0, bytes: 0, oldestAgeMs: 0 });
  });

  it('commits positions that moved past markers with nothing buffered', () => {
    const idle = position(3, 0);
    idle.markFetched(12n);
    expect(positionCycle([idle, position(4, 0)], 10)).toEqual({
      generation: 7,
      records: [],
      positionOnly: [{ partition: 3, offset: '12' }],
      startedAt: 10,
    });
  });
});

describe('cycleTiming', () => {
  it('gives record waits as means and the rest per cycle, in seconds', () => {
    const cycle = takeCycle([position(0, 2, 1_000)], { maxRecords: 10, maxBytes: 1 << 20 }, 10, 1_100)!;
    const timing = cycleTiming(
      cycle,
      { at: 1_150, queuedMs: 10 },
      { startedAt: 1_170, doneAt: 1_200, timing: { produceMs: 12, commitMs: 15 } },
    );
    expect(timing).toEqual({
      fetchWait: 0.1,
      batchWait: 0.1,
      queued: 0.01,
      invoke: 0.04,
      publishWait: 0.02,
      produce: 0.012,
      commit: 0.015,
      publish: 0.03,
      total: 0.1,
    });
  });
});
