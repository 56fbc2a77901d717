import { describe, expect, it } from 'vitest';
import {
  evaluateRateRule,
  initialRateRuleState,
  openfaasRateRule,
  windowRate,
  type RateRuleState,
} from './rate-rule.ts';
import type { AlertStatus } from './alert-scaling.ts';

/**
 * Drives the rule once a second with `ratePerSecond(t)` successful calls per second and
 * `replicas(t)` replicas; returns the notifications with the second they were sent.
 */
function run(
  seconds: number,
  ratePerSecond: (t: number) => number,
  replicas: (t: number) => number = () => 1,
): Array<[number, AlertStatus]> {
  let state: RateRuleState = initialRateRuleState;
  let count = 0;
  const sent: Array<[number, AlertStatus]> = [];
  for (let t = 0; t <= seconds; t++) {
    if (t > 0) count += ratePerSecond(t);
    const result = evaluateRateRule(state, { at: t * 1000, count, replicas: replicas(t) }, openfaasRateRule);
    state = result.state;
    if (result.notify) sent.push([t, result.notify]);
  }
  return sent;
}

describe('windowRate', () => {
  it.each([
    ['no samples', [], 0],
    ['one sample', [{ at: 0, count: 5 }], 0],
    [
      '10 calls in 2 s',
      [
        { at: 0, count: 0 },
        { at: 2000, count: 10 },
      ],
      5,
    ],
    [
      'counter reset',
      [
        { at: 0, count: 100 },
        { at: 1000, count: 3 },
      ],
      0,
    ],
  ])('%s', (_name, samples, expected) => expect(windowRate(samples)).toBe(expected));
});

describe('evaluateRateRule (APIHighInvocationRate, for 5s, repeat 30s)', () => {
  it.each([
    ['idle: nothing', 40, () => 0, () => 1, []],
    ['5/s per replica is not above 5: nothing', 40, () => 5, () => 1, []],
    // Holds from t=1 (the first second of traffic), fires once it held 5 s.
    ['20/s on 1 replica fires after 5 s', 8, () => 20, () => 1, [[6, 'firing']]],
    ['20/s on 4 replicas (5/s each): nothing', 40, () => 20, () => 4, []],
    [
      'still high: notified again every 30 s',
      70,
      () => 20,
      () => 1,
      [
        [6, 'firing'],
        [36, 'firing'],
        [66, 'firing'],
      ],
    ],
    [
      'load stops at 20 s: resolved once the 10 s window holds 5/s or less (t=28: 40 calls in 10 s)',
      40,
      (t: number) => (t <= 20 ? 20 : 0),
      () => 1,
      [
        [6, 'firing'],
        [28, 'resolved'],
      ],
    ],
    ['a 1 s burst does not hold for 5 s: nothing', 30, (t: number) => (t === 1 ? 30 : 0), () => 1, []],
  ] as Array<[string, number, (t: number) => number, (t: number) => number, Array<[number, AlertStatus]>]>)(
    '%s',
    (_name, seconds, rate, replicas, expected) => {
      expect(run(seconds, rate, replicas)).toEqual(expected);
    },
  );

  it('keeps only the samples the window needs', () => {
    let state = initialRateRuleState;
    for (let t = 0; t < 100; t++)
      state = evaluateRateRule(state, { at: t * 1000, count: t, replicas: 1 }, openfaasRateRule).state;
    expect(state.samples.length).toBeLessThanOrEqual(12);
    expect(state.samples[0]!.at).toBe(89_000);
  });
});
