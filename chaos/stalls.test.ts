import { describe, expect, it } from 'vitest';
import { longestStall } from './stalls.ts';

const sample = (atMs: number, committed: number, lag: number) => ({ atMs, committed, lag });

describe('longestStall', () => {
  it('is the longest time between two moves of the committed offsets while records waited', () => {
    const stall = longestStall('predict', [
      sample(0, 0, 10),
      sample(1_000, 50, 30),
      sample(2_000, 50, 80),
      sample(3_000, 50, 120),
      sample(4_000, 200, 20),
      sample(5_000, 210, 10),
    ]);
    expect(stall).toEqual({ stage: 'predict', longestMs: 2_000, fromMs: 1_000, samples: 6 });
  });

  it('does not count idle time as a stall', () => {
    const stall = longestStall('provide', [sample(0, 100, 0), sample(1_000, 100, 0), sample(5_000, 100, 0)]);
    expect(stall.longestMs).toBe(0);
    expect(stall.fromMs).toBeUndefined();
  });

  it('counts a stall that lasts to the last sample, and gaps where Kafka did not answer', () => {
    const stall = longestStall('load-data', [sample(0, 10, 5), sample(1_000, 20, 5), sample(9_000, 20, 40)]);
    expect(stall).toMatchObject({ longestMs: 8_000, fromMs: 1_000 });
  });
});
