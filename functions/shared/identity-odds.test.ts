import { describe, expect, it } from 'vitest';
import { collisionOdds, groupSizes } from './identity-odds.ts';

describe('collisionOdds', () => {
  it.each([
    [
      'no shared floors',
      [
        { size: 1, slots: 1e9 },
        { size: 1, slots: 1e9 },
      ],
      0,
      0,
    ],
    ['a pair in one second', [{ size: 2, slots: 1e9 }], 1, 1e-9],
    ['a full predict batch hashed into one millisecond', [{ size: 500, slots: 1e6 }], 124_750, 0.12475],
    [
      'two groups add up',
      [
        { size: 3, slots: 1e6 },
        { size: 2, slots: 1e9 },
      ],
      4,
      3e-6 + 1e-9,
    ],
  ])('%s', (_label, groups, pairs, expected) => {
    const odds = collisionOdds(groups);
    expect(odds.pairs).toBe(pairs);
    expect(odds.expected).toBeCloseTo(expected, 12);
    expect(odds.probability).toBeCloseTo(1 - Math.exp(-expected), 12);
  });

  it('agrees with the birthday bound for many groups', () => {
    // 1000 groups of 60 in 1e9 slots: 1,770,000 pairs.
    const odds = collisionOdds(Array.from({ length: 1000 }, () => ({ size: 60, slots: 1e9 })));
    expect(odds.pairs).toBe(1_770_000);
    expect(odds.probability).toBeCloseTo(0.001768, 6);
  });
});

describe('groupSizes', () => {
  it('counts items per key', () => {
    expect(groupSizes(['a', 'b', 'a', 'a'], (x) => x)).toEqual(
      new Map([
        ['a', 3],
        ['b', 1],
      ]),
    );
  });
});
