import { describe, expect, it } from 'vitest';
import { createRng, hashString, poisson } from './prng.ts';

const draw = (seed: number | string, n = 5) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(7)).toEqual(draw(7));
    expect(draw('a:rows')).toEqual(draw('a:rows'));
  });

  it('gives different sequences for different seeds', () => {
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw('1:rows')).not.toEqual(draw('1:timeline'));
  });

  it('stays in range and spreads evenly', () => {
    const rng = createRng(3);
    const counts = new Array(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const value = rng.next();
      min = Math.min(min, value);
      max = Math.max(max, value);
      counts[rng.int(10)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of counts) expect(count).toBeGreaterThan(9_500);
  });

  it('hashes strings stably (FNV-1a)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });

  it('draws Poisson counts with the right mean', () => {
    const rng = createRng(11);
    for (const mean of [0.5, 9, 120]) {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += poisson(rng, mean);
      expect(sum / 20_000).toBeCloseTo(mean, mean > 10 ? 0 : 1);
    }
  });
});
