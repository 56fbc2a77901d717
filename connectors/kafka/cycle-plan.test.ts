import { describe, expect, it } from 'vitest';
import { decideCycle, minSpreadBatch, smoothed, splitCycle, type CycleState } from './cycle-plan.ts';

const limits = { maxRecords: 100, maxBytes: 10_000, maxWaitMs: 20 };
const idle: CycleState = {
  buffered: 0,
  bytes: 0,
  oldestAgeMs: 0,
  invoking: false,
  publishing: 0,
  slots: 4,
  publishLeftMs: 0,
  invokeMs: 0,
};

describe('decideCycle', () => {
  it.each<[string, Partial<CycleState>, ReturnType<typeof decideCycle>]>([
    ['nothing buffered', {}, { start: false, waitMs: Infinity }],
    ['one record, nothing in flight: at once', { buffered: 1, bytes: 100 }, { start: true }],
    [
      'another cycle invoking',
      { buffered: 500, bytes: 100, invoking: true },
      { start: false, waitMs: Infinity },
    ],
    [
      'previous cycle publishing: gather until max-wait',
      { buffered: 5, bytes: 500, oldestAgeMs: 5, publishing: 1, publishLeftMs: 30, invokeMs: 5 },
      { start: false, waitMs: 15 },
    ],
    [
      'previous cycle publishing: gather until just in time',
      { buffered: 5, bytes: 500, oldestAgeMs: 5, publishing: 1, publishLeftMs: 12, invokeMs: 5 },
      { start: false, waitMs: 7 },
    ],
    [
      'previous publishing, its end expected within an invoke: just in time',
      { buffered: 5, bytes: 500, oldestAgeMs: 1, publishing: 1, publishLeftMs: 8, invokeMs: 9 },
      { start: true },
    ],
    [
      'previous publishing past its estimate',
      { buffered: 5, bytes: 500, oldestAgeMs: 1, publishing: 1, publishLeftMs: 0, invokeMs: 0 },
      { start: true },
    ],
    [
      'previous publishing, oldest waited max-wait',
      { buffered: 5, bytes: 500, oldestAgeMs: 20, publishing: 1, publishLeftMs: 30, invokeMs: 5 },
      { start: true },
    ],
    [
      'previous publishing, a full round by count',
      { buffered: 400, bytes: 500, publishing: 1, publishLeftMs: 30 },
      { start: true },
    ],
    [
      'previous publishing, a full round by bytes',
      { buffered: 4, bytes: 40_000, publishing: 1, publishLeftMs: 30 },
      { start: true },
    ],
    [
      'two cycles waiting to publish',
      { buffered: 4000, bytes: 40_000, publishing: 2 },
      { start: false, waitMs: Infinity },
    ],
  ])('%s', (_name, state, decision) => expect(decideCycle({ ...idle, ...state }, limits)).toEqual(decision));
});

describe('smoothed', () => {
  it('starts at the first sample and follows later ones by a weight', () => {
    expect(smoothed(undefined, 10)).toBe(10);
    expect(smoothed(10, 20, 0.5)).toBe(15);
    expect(smoothed(10, 10)).toBe(10);
  });
});

describe('splitCycle', () => {
  const sizes = (count: number, size = 10) => new Array<number>(count).fill(size);
  const sum = (lengths: number[]) => lengths.reduce((a, b) => a + b, 0);

  it('sends a small cycle in one call', () => {
    expect(splitCycle(sizes(30), limits, 1, 4)).toEqual([30]);
    expect(splitCycle(sizes(minSpreadBatch * 2 - 1), limits, 4, 16)).toEqual([64, 63]);
  });

  it('splits by max-records, evenly', () => {
    expect(splitCycle(sizes(250), limits, 1, 4)).toEqual([84, 84, 82]);
  });

  it('spreads over replicas once each gets enough records', () => {
    expect(splitCycle(sizes(90), { ...limits, maxRecords: 1000 }, 4, 16)).toEqual([90]);
    expect(splitCycle(sizes(400), { ...limits, maxRecords: 1000 }, 4, 16)).toEqual([100, 100, 100, 100]);
  });

  it('never exceeds max-bytes except for a single oversized record', () => {
    const lengths = splitCycle([6000, 6000, 20_000, 10], limits, 1, 4);
    expect(lengths).toEqual([1, 1, 1, 1]);
    expect(sum(splitCycle(sizes(300, 150), limits, 1, 4))).toBe(300);
    expect(splitCycle(sizes(300, 150), limits, 1, 4).every((length) => length * 150 <= 10_000)).toBe(true);
  });

  it('is empty for no records', () => expect(splitCycle([], limits, 1, 4)).toEqual([]));
});
