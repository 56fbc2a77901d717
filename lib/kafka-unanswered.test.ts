import { describe, expect, it } from 'vitest';
import { describePartitions, unansweredPartitions } from './kafka-unanswered.ts';

const answer = (topicName: string, partition: number) => ({ topicName, partition, errorCode: 0 });

describe('unansweredPartitions', () => {
  it('lists each named partition missing from the answer once', () => {
    const sent = [
      {
        topic: 'out',
        messages: [
          { value: 'a', partition: 0 },
          { value: 'b', partition: 1 },
          { value: 'c', partition: 1 },
        ],
      },
      { topic: 'out.dlq', messages: [{ value: 'd', partition: 0 }] },
    ];
    expect(unansweredPartitions(sent, [answer('out', 0)])).toEqual([
      { topic: 'out', partition: 1 },
      { topic: 'out.dlq', partition: 0 },
    ]);
    expect(unansweredPartitions(sent, [answer('out', 0), answer('out', 1), answer('out.dlq', 0)])).toEqual(
      [],
    );
  });

  it('cannot check messages the partitioner places', () => {
    expect(unansweredPartitions([{ topic: 'out', messages: [{ key: 'k', value: 'a' }] }], [])).toEqual([]);
  });

  it('names partitions as topic[partition]', () => {
    expect(
      describePartitions([
        { topic: 'cdn_raw', partition: 3 },
        { topic: 'x', partition: 0 },
      ]),
    ).toBe('cdn_raw[3], x[0]');
  });
});
