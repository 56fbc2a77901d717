import { describe, expect, it } from 'vitest';
import { requestGroups } from './kafka-request-groups.ts';

const sent = [
  { topic: 'out', messages: [0, 1, 0].map((partition, index) => ({ value: `o${index}`, partition })) },
  {
    topic: 'out.dlq',
    messages: [
      { value: 'd', partition: 0 },
      { key: 'k', value: 'e' },
    ],
  },
];

describe('requestGroups', () => {
  it('sends everything at once with one broker', () => {
    expect(requestGroups(sent, 1)).toEqual([sent]);
    expect(requestGroups([], 1)).toEqual([]);
  });

  it('sends one partition at a time with several, in message order', () => {
    expect(requestGroups(sent, 3)).toEqual([
      [
        {
          topic: 'out',
          messages: [
            { value: 'o0', partition: 0 },
            { value: 'o2', partition: 0 },
          ],
        },
      ],
      [{ topic: 'out', messages: [{ value: 'o1', partition: 1 }] }],
      [{ topic: 'out.dlq', messages: [{ value: 'd', partition: 0 }] }],
      [{ topic: 'out.dlq', messages: [{ key: 'k', value: 'e' }] }],
    ]);
  });
});
