import { describe, expect, it } from 'vitest';
import { axisIncrs, binaryIncrs, byteAxisLabels } from './axis.ts';

/** The splits uPlot makes: multiples of the smallest step that leaves at least `count` gaps or fewer. */
function splitsFor(max: number, incrs: readonly number[], most: number): number[] {
  const incr = incrs.find((step) => max / step <= most)!;
  return Array.from({ length: Math.floor(max / incr) + 1 }, (_, i) => i * incr);
}

describe('the Host network axis', () => {
  it('reads in order, in one unit, at round binary steps', () => {
    // About 10 MiB/s received: the range the chart gives is [0, max x 1.1].
    const splits = splitsFor(10.5 * 1024 ** 2 * 1.1, axisIncrs('bytes-per-second')!, 5);
    const labels = byteAxisLabels(splits, 'bytes-per-second');
    expect(labels).toEqual(['0 MiB/s', '5 MiB/s', '10 MiB/s']);
  });

  it('never mixes units, so a small split does not read as a larger one', () => {
    expect(byteAxisLabels([0, 512 * 1024, 1024 ** 2, 1.5 * 1024 ** 2], 'bytes-per-second')).toEqual([
      '0 MiB/s',
      '0.5 MiB/s',
      '1 MiB/s',
      '1.5 MiB/s',
    ]);
    expect(byteAxisLabels([0, 200, 400], 'bytes')).toEqual(['0 B', '200 B', '400 B']);
  });

  it('labels numbers that grow as the splits grow', () => {
    for (const max of [900, 50 * 1024, 3 * 1024 ** 2, 9.5 * 1024 ** 2, 2 * 1024 ** 3]) {
      const splits = splitsFor(max, binaryIncrs, 6);
      const shown = byteAxisLabels(splits, 'bytes-per-second').map((label) => Number.parseFloat(label));
      expect(shown).toEqual([...shown].sort((a, b) => a - b));
      expect(new Set(shown).size).toBe(shown.length);
    }
  });

  it('leaves other units to uPlot', () => expect(axisIncrs('percent')).toBeUndefined());
});
