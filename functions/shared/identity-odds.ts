/**
 * The odds that hash-derived point times collide. Records that share a series (measurement +
 * tags) and a time floor each draw one of `slots` nanoseconds uniformly; a group of n records
 * has n(n-1)/2 pairs, each colliding with probability 1/slots. Summed over groups, that is the
 * expected number of colliding pairs; the chance of at least one is 1 - exp(-expected).
 */

export interface SlotGroup {
  /** Records sharing one series and one time floor. */
  size: number;
  /** The nanoseconds they spread over (1e9 for a whole second, 1e6 for a millisecond). */
  slots: number;
}

export interface CollisionOdds {
  groups: number;
  /** Pairs of records that could collide (share series and floor). */
  pairs: number;
  /** Expected number of colliding pairs. */
  expected: number;
  /** Probability that at least one pair collides. */
  probability: number;
}

export function collisionOdds(groups: Iterable<SlotGroup>): CollisionOdds {
  let count = 0;
  let pairs = 0;
  let expected = 0;
  for (const group of groups) {
    count += 1;
    const groupPairs = (group.size * (group.size - 1)) / 2;
    pairs += groupPairs;
    expected += groupPairs / group.slots;
  }
  return { groups: count, pairs, expected, probability: -Math.expm1(-expected) };
}

/** Group sizes of items by a key. */
export function groupSizes<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}
