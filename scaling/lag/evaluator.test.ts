import { describe, expect, it } from 'vitest';
import { evaluatePartition, slide, worstStatus, type LagObservation } from './evaluator.ts';

/** Observations 10 s apart from offset/lag pairs. */
function window(...pairs: [number | null, number][]): LagObservation[] {
  return pairs.map(([offset, lag], i) => ({ at: i * 10_000, offset, lag }));
}

describe('evaluatePartition', () => {
  it.each([
    ['no observations', [], true, 'OK'],
    ['window not full yet', window([1, 5], [1, 5]), true, 'OK'],
    ['caught up somewhere in the window', window([1, 5], [1, 0], [1, 5], [1, 5]), true, 'OK'],
    ['consuming, lag shrinking', window([10, 50], [20, 45], [30, 40], [40, 30]), true, 'OK'],
    ['consuming, lag up and down', window([10, 50], [20, 60], [30, 55], [40, 70]), true, 'OK'],
    ['consuming but lag grows at every step', window([10, 50], [20, 60], [30, 70], [40, 80]), true, 'WARN'],
    ['offset frozen with lag, members present', window([7, 10], [7, 12], [7, 12], [7, 15]), true, 'STALL'],
    [
      'never committed and frozen, members present',
      window([null, 10], [null, 10], [null, 10], [null, 10]),
      true,
      'STALL',
    ],
    [
      'offset frozen with lag, nobody in the group',
      window([7, 10], [7, 12], [7, 12], [7, 15]),
      false,
      'STOP',
    ],
    ['offset frozen while lag shrinks (retention)', window([7, 10], [7, 9], [7, 8], [7, 5]), true, 'OK'],
  ] as const)('%s -> %s', (_name, observations, members, status) => {
    expect(evaluatePartition(observations as LagObservation[], 4, members).status).toBe(status);
  });

  it('says why', () => {
    expect(evaluatePartition(window([7, 10], [7, 12], [7, 12], [7, 15]), 4, true).reason).toMatch(
      /offset 7 has not moved for 30 s with lag 15/,
    );
  });
});

describe('worstStatus and slide', () => {
  it('a group is as healthy as its worst partition', () => {
    expect(worstStatus(['OK', 'WARN', 'OK'])).toBe('WARN');
    expect(worstStatus(['STALL', 'STOP'])).toBe('STOP');
    expect(worstStatus([])).toBe('OK');
  });

  it('keeps the last N observations', () => {
    const slid = slide(window([1, 1], [2, 1], [3, 1]), { at: 99, offset: 4, lag: 0 }, 3);
    expect(slid.map((o) => o.offset)).toEqual([2, 3, 4]);
  });
});
