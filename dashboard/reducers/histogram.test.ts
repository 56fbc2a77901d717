import { describe, expect, it } from 'vitest';
import { bucketQuantile, latencyStats } from './histogram.ts';
import type { Sample } from './samples.ts';

/** The samples of one function's histogram: cumulative counts by upper bound (`le`), and the sum. */
function histogram(fn: string, cumulative: Record<string, number>, sum: number): Sample[] {
  const buckets = Object.entries(cumulative);
  const count = buckets.at(-1)![1];
  return [
    ...buckets.map(([le, value]) => ({
      name: 'gateway_functions_seconds_bucket',
      labels: { function_name: fn, code: '200', le },
      value,
    })),
    { name: 'gateway_functions_seconds_sum', labels: { function_name: fn, code: '200' }, value: sum },
    { name: 'gateway_functions_seconds_count', labels: { function_name: fn, code: '200' }, value: count },
  ];
}

describe('bucketQuantile', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    expect(
      bucketQuantile(0.5, [
        [0.1, 0],
        [0.2, 10],
        [Infinity, 10],
      ]),
    ).toBeCloseTo(0.15);
    expect(
      bucketQuantile(0.95, [
        [0.1, 90],
        [1, 100],
        [Infinity, 100],
      ]),
    ).toBeCloseTo(0.55);
  });
  it('answers the highest finite bound when the rank falls in +Inf, and null with no observations', () => {
    expect(
      bucketQuantile(0.99, [
        [0.5, 1],
        [Infinity, 10],
      ]),
    ).toBe(0.5);
    expect(
      bucketQuantile(0.5, [
        [0.5, 0],
        [Infinity, 0],
      ]),
    ).toBeNull();
  });
});

describe('latencyStats', () => {
  /** The gateway's latency of `predict` between two scrapes `seconds` apart. */
  const predictLatency = (before: Sample[], after: Sample[], seconds: number) =>
    latencyStats(before, after, seconds, 'gateway_functions_seconds', 'function_name').get('predict');

  it('reports rate, mean and p95 of the observations between two scrapes', () => {
    const before = histogram('predict', { '0.01': 10, '0.1': 10, '+Inf': 10 }, 0.05);
    const after = histogram('predict', { '0.01': 10, '0.1': 30, '+Inf': 30 }, 1.05);
    expect(predictLatency(before, after, 4)).toEqual({
      rate: 5,
      meanSeconds: expect.closeTo(0.05),
      p95Seconds: expect.closeTo(0.01 + 0.09 * 0.95),
    });
  });

  it('has no latency when nothing was observed and treats a drop as a restart', () => {
    const steady = histogram('predict', { '0.1': 5, '+Inf': 5 }, 0.2);
    expect(predictLatency(steady, steady, 2)).toEqual({
      rate: 0,
      meanSeconds: null,
      p95Seconds: null,
    });
    const restarted = histogram('predict', { '0.1': 2, '+Inf': 2 }, 0.1);
    expect(predictLatency(steady, restarted, 2)).toMatchObject({
      rate: 1,
      meanSeconds: expect.closeTo(0.05),
    });
  });
});
