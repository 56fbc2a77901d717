import type { Rng } from '../../lib/prng.ts';

/** Draws a value with probability proportional to its weight (binary search over the CDF). */
export type Picker<T> = (rng: Rng) => T;

export function weightedPicker<T>(entries: readonly (readonly [T, number])[]): Picker<T> {
  const values = entries.filter(([, weight]) => weight > 0).map(([value]) => value);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) {
    if (weight > 0) {
      total += weight;
      cumulative.push(total);
    }
  }
  if (values.length === 0) throw new Error('weightedPicker needs at least one positive weight');
  return (rng) => {
    const target = rng.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return values[low]!;
  };
}

/** Zipf weights 1/rank^exponent for ranks 1..n: a few codes common, a long tail rare. */
export function zipfWeights(n: number, exponent: number): number[] {
  return Array.from({ length: n }, (_, rank) => 1 / (rank + 1) ** exponent);
}

/** A copy of `items` in a seeded random order (Fisher-Yates). */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A categorical distribution given as { code: weight }. */
export type CodeWeights = Readonly<Record<number, number>>;

export function codePicker(weights: CodeWeights): Picker<number> {
  return weightedPicker(Object.entries(weights).map(([code, weight]) => [Number(code), weight] as const));
}
