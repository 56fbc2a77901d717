import { describe, expect, it } from 'vitest';
import { counterRate, invocationRates, sumByLabel } from './rates.ts';
import type { Sample } from './samples.ts';

const invocation = (function_name: string, code: string, value: number): Sample => ({
  name: 'gateway_function_invocation_total',
  labels: { function_name, code },
  value,
});

describe('counterRate', () => {
  it.each([
    { previous: 10, current: 30, seconds: 2, rate: 10 },
    { previous: undefined, current: 30, seconds: 2, rate: 0 },
    { previous: 50, current: 8, seconds: 2, rate: 4 },
    { previous: 10, current: 30, seconds: 0, rate: 0 },
  ])('$previous -> $current in $seconds s = $rate/s', ({ previous, current, seconds, rate }) => {
    expect(counterRate(previous, current, seconds)).toBe(rate);
  });
});

describe('invocationRates', () => {
  it('sums status codes per function and counts 4xx/5xx as errors', () => {
    const before = [
      invocation('predict', '200', 100),
      invocation('predict', '500', 1),
      invocation('provide', '200', 7),
    ];
    const after = [
      invocation('predict', '200', 120),
      invocation('predict', '500', 5),
      invocation('provide', '200', 7),
      invocation('load-data', '200', 4),
    ];
    const rates = invocationRates(before, after, 2, 'gateway_function_invocation_total');
    expect(Object.fromEntries(rates)).toEqual({
      predict: { rate: 12, errorRate: 2 },
      provide: { rate: 0, errorRate: 0 },
      'load-data': { rate: 0, errorRate: 0 },
    });
  });

  it('ignores other metrics and samples without the label', () => {
    const samples = [
      invocation('predict', '200', 1),
      { name: 'other', labels: { function_name: 'x' }, value: 9 },
    ];
    expect(
      Object.fromEntries(sumByLabel(samples, 'gateway_function_invocation_total', 'function_name')),
    ).toEqual({
      predict: 1,
    });
  });
});
