import { describe, expect, it } from 'vitest';
import { planReplay, recordTimeMs } from './replay-plan.ts';

const row = (timestamp: string, id: string) => ({ timestamp, user_id: id });

describe('recordTimeMs', () => {
  it.each([
    ['2088-05-13 07:00:00', Date.UTC(2088, 4, 13, 7)],
    ['2088-05-13T07:00:00Z', Date.UTC(2088, 4, 13, 7)],
    ['2088-05-13T09:00:00+02:00', Date.UTC(2088, 4, 13, 7)],
    ['not a date', undefined],
    ['', undefined],
  ])('reads %j', (timestamp, expected) => {
    expect(recordTimeMs({ timestamp })).toBe(expected);
  });
});

describe('planReplay', () => {
  it('sorts by timestamp and keeps file order for equal timestamps', () => {
    const plan = planReplay([
      row('2088-05-13 07:00:02', 'c'),
      row('2088-05-13 07:00:00', 'a'),
      row('2088-05-13 07:00:02', 'd'),
      row('2088-05-13 07:00:01', 'b'),
    ]);
    expect(plan.map((p) => p.record.user_id)).toEqual(['a', 'b', 'c', 'd']);
    expect(plan.every((p) => p.dueMs === 0)).toBe(true);
  });

  it('keeps relative timing divided by the speed', () => {
    const plan = planReplay(
      [row('2088-05-13 07:00:00', 'a'), row('2088-05-13 07:00:10', 'b'), row('2088-05-13 07:01:00', 'c')],
      { speed: 10 },
    );
    expect(plan.map((p) => p.dueMs)).toEqual([0, 1000, 6000]);
  });

  it('spaces records by the maximum rate', () => {
    const plan = planReplay(
      [row('2088-05-13 07:00:00', 'a'), row('2088-05-13 07:00:00', 'b'), row('2088-05-13 07:00:00', 'c')],
      { maxRate: 100 },
    );
    expect(plan.map((p) => p.dueMs)).toEqual([0, 10, 20]);
  });

  it('keeps unreadable timestamps after the record before them', () => {
    const plan = planReplay([
      row('2088-05-13 07:00:05', 'late'),
      row('garbage', 'bad'),
      row('2088-05-13 07:00:00', 'early'),
    ]);
    expect(plan.map((p) => p.record.user_id)).toEqual(['early', 'late', 'bad']);
  });
});
