import { describe, expect, it } from 'vitest';
import {
  decide,
  emptyMemory,
  isStuck,
  type PartitionView,
  type ScaleMemory,
  type ScaleSettings,
} from './decision.ts';

const settings: ScaleSettings = {
  min: 1,
  max: 4,
  zeroAllowed: false,
  zeroAfterMs: 60_000,
  lagTarget: 10_000,
  downWindowMs: 30_000,
};

function partitions(...lags: (number | [number, 'stuck'])[]): PartitionView[] {
  return lags.map((entry, partition) =>
    Array.isArray(entry)
      ? { partition, lag: entry[0], stuck: true }
      : { partition, lag: entry, stuck: false },
  );
}

const now = 1_000_000;

describe('decide: scaling on lag', () => {
  it.each([
    ['backlog beyond max', 1, partitions(40_000, 40_000, 40_000, 40_000, 40_000), settings, 4],
    ['ceil(lag / target)', 1, partitions(15_000, 10_000, 1), settings, 3],
    ['clamped to partitions with lag', 1, partitions(90_000, 0, 0, 0), settings, 1],
    ['no lag: min', 1, partitions(0, 0, 0), settings, 1],
    ['min above what lag needs', 1, partitions(5), { ...settings, min: 2 }, 2],
    ['any lag wakes from zero', 0, partitions(0, 1, 0), { ...settings, zeroAllowed: true }, 1],
    ['lag of a never-committed partition counts', 0, partitions(25_000), settings, 1],
    [
      'stuck partition lag does not drive scale-out',
      1,
      partitions([500_000, 'stuck'], 8_000, 100),
      settings,
      1,
    ],
    ['only moving lag counts', 1, partitions([500_000, 'stuck'], 15_000, 12_000), settings, 2],
    [
      'all partitions stuck: keep one replica',
      1,
      partitions([500_000, 'stuck'], [40_000, 'stuck']),
      settings,
      1,
    ],
  ])('%s', (_name, current, views, scaleSettings, expected) => {
    expect(
      decide({ now, current, settings: scaleSettings, partitions: views, memory: emptyMemory }).replicas,
    ).toBe(expected);
  });
});

describe('decide: over time', () => {
  /** Runs decisions at the given times (ms after `now`), feeding memory and replicas forward. */
  function run(steps: { at: number; lags: number[] }[], scaleSettings: ScaleSettings, start = 1): number[] {
    let memory: ScaleMemory = emptyMemory;
    let current = start;
    return steps.map((step) => {
      const decision = decide({
        now: now + step.at,
        current,
        settings: scaleSettings,
        partitions: partitions(...step.lags),
        memory,
      });
      memory = decision.memory;
      current = decision.replicas;
      return current;
    });
  }

  it('scales up at once and down only after the stabilisation window', () => {
    const replicas = run(
      [
        { at: 0, lags: [50_000, 50_000, 50_000, 50_000] },
        { at: 5_000, lags: [0, 0, 0, 0] },
        { at: 20_000, lags: [0, 0, 0, 0] },
        { at: 29_000, lags: [0, 0, 0, 0] },
        { at: 31_000, lags: [0, 0, 0, 0] },
      ],
      settings,
    );
    expect(replicas).toEqual([4, 4, 4, 4, 1]);
  });

  it('does not flap on a short burst: it steps down to the highest recent need', () => {
    const replicas = run(
      [
        { at: 0, lags: [40_000, 40_000, 40_000, 40_000] },
        { at: 10_000, lags: [12_000, 0, 0, 0] },
        { at: 35_000, lags: [12_000, 0, 0, 0] },
      ],
      settings,
    );
    expect(replicas).toEqual([4, 4, 1]);
  });

  it('goes to zero only where allowed and only after the idle period, and back to one on lag', () => {
    const zero = { ...settings, zeroAllowed: true, zeroAfterMs: 20_000, downWindowMs: 5_000 };
    const replicas = run(
      [
        { at: 0, lags: [10, 0] },
        { at: 1_000, lags: [0, 0] },
        { at: 15_000, lags: [0, 0] },
        { at: 22_000, lags: [0, 0] },
        { at: 30_000, lags: [0, 0] },
        { at: 31_000, lags: [0, 1] },
      ],
      zero,
    );
    expect(replicas).toEqual([1, 1, 1, 0, 0, 1]);
    const noZero = run(
      [
        { at: 0, lags: [0] },
        { at: 999_000, lags: [0] },
      ],
      settings,
    );
    expect(noZero).toEqual([1, 1]);
  });

  it('a restarted autoscaler leaves an idle function at zero', () => {
    expect(run([{ at: 0, lags: [0, 0] }], { ...settings, zeroAllowed: true }, 0)).toEqual([0]);
  });
});

describe('isStuck', () => {
  const obs = (...entries: [number, number | null, number][]) =>
    entries.map(([at, offset, lag]) => ({ at, offset, lag }));
  it.each([
    ['no history', obs(), 0, false],
    ['caught up', obs([0, 5, 0], [40_000, 5, 0]), 40_000, false],
    ['moving', obs([0, 5, 10], [20_000, 9, 10], [40_000, 12, 10]), 40_000, false],
    ['frozen long enough', obs([0, 5, 10], [20_000, 5, 10], [40_000, 5, 30]), 40_000, true],
    ['frozen, but not for long enough', obs([0, 4, 10], [20_000, 5, 10], [40_000, 5, 30]), 40_000, false],
    ['never committed for long enough', obs([0, null, 10], [35_000, null, 10]), 35_000, true],
    ['history too short to tell', obs([30_000, 5, 10], [40_000, 5, 10]), 40_000, false],
  ])('%s', (_name, observations, at, expected) => expect(isStuck(observations, at, 30_000)).toBe(expected));
});
