import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { PartitionPosition } from './partition-position.ts';

const messages = (from: number, count: number): KafkaMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    offset: String(from + index),
    key: null,
    value: Buffer.from('{}'),
    timestamp: '0',
    attributes: 0,
    headers: {},
  }));

function released(committed: bigint | undefined): PartitionPosition {
  const position = new PartitionPosition(
    { topic: 't', partition: 0 },
    1,
    () => ({ highWaterRecords: 10_000, highWaterBytes: 1 << 30 }),
    { pause: () => undefined, resume: () => undefined },
  );
  position.release(committed);
  return position;
}

const offsets = (position: PartitionPosition) => position.take(100, 1 << 30).map((record) => record.offset);

describe('PartitionPosition.push', () => {
  it('drops what lies before the committed offset: a fetch begun before the consumer was moved', () => {
    const position = released(10n);
    position.push(messages(5, 3), '7');
    expect(position.buffered).toBe(0);
    position.push(messages(8, 5), '12');
    expect(offsets(position)).toEqual(['10', '11', '12']);
  });

  it('drops what was fetched already', () => {
    const position = released(undefined);
    position.push(messages(0, 3), '2');
    position.push(messages(1, 4), '4');
    expect(offsets(position)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('keeps a fetch that starts where the position stands', () => {
    const position = released(3n);
    position.push(messages(3, 2), '4');
    expect(offsets(position)).toEqual(['3', '4']);
    expect(position.fetched).toBe(5n);
  });
});
