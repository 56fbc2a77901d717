import { describe, expect, it } from 'vitest';
import { groupByLeader } from './kafka-leaders.ts';

const leaders = {
  leaderOf: (topic: string, partition: number) => (topic === 'gone' ? undefined : partition % 2),
};

describe('groupByLeader', () => {
  it('puts each leader partitions in a group of its own, in message order', () => {
    const groups = groupByLeader(
      [
        { topic: 'out', messages: [0, 1, 2, 3].map((partition) => ({ value: `o${partition}`, partition })) },
        { topic: 'out.dlq', messages: [{ value: 'd1', partition: 1 }] },
      ],
      leaders,
    );
    expect(groups).toEqual([
      [
        {
          topic: 'out',
          messages: [
            { value: 'o0', partition: 0 },
            { value: 'o2', partition: 2 },
          ],
        },
      ],
      [
        {
          topic: 'out',
          messages: [
            { value: 'o1', partition: 1 },
            { value: 'o3', partition: 3 },
          ],
        },
        { topic: 'out.dlq', messages: [{ value: 'd1', partition: 1 }] },
      ],
    ]);
  });

  it('keeps messages without a partition or a known leader together', () => {
    const groups = groupByLeader(
      [
        { topic: 'out', messages: [{ key: 'k', value: 'a' }] },
        { topic: 'gone', messages: [{ value: 'b', partition: 0 }] },
      ],
      leaders,
    );
    expect(groups).toEqual([
      [
        { topic: 'out', messages: [{ key: 'k', value: 'a' }] },
        { topic: 'gone', messages: [{ value: 'b', partition: 0 }] },
      ],
    ]);
  });

  it('is one group with one broker', () => {
    const groups = groupByLeader(
      [
        {
          topic: 'out',
          messages: [
            { value: 'a', partition: 0 },
            { value: 'b', partition: 4 },
          ],
        },
      ],
      leaders,
    );
    expect(groups).toHaveLength(1);
  });
});
