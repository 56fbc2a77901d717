import { describe, expect, it } from 'vitest';
import { alignRows, keyedRowsFromFlux, perSecond, shareOf, totals } from './series.ts';

const t0 = Date.parse('2026-01-01T00:00:00Z') / 1000;

describe('keyedRowsFromFlux', () => {
  it('reads _time, key and _value, dropping malformed rows', () => {
    expect(
      keyedRowsFromFlux([
        { _time: '2026-01-01T00:00:00Z', key: '2', _value: 8 },
        { _time: '2026-01-01T00:00:00Z', key: 3, _value: 1 },
        { _time: 'garbage', key: '2', _value: 8 },
        { _time: '2026-01-01T00:00:00Z', _value: 8 },
      ]),
    ).toEqual([
      { time: t0, key: '2', value: 8 },
      { time: t0, key: '3', value: 1 },
    ]);
  });
});

describe('alignRows', () => {
  it('aligns keys on the union of window times, fills gaps with 0, orders keys numerically', () => {
    const view = alignRows(
      [
        { time: t0, key: '10', value: 1 },
        { time: t0 + 5, key: '2', value: 4 },
        { time: t0, key: '2', value: 3 },
        { time: t0 + 7.3, key: '2', value: 1 },
      ],
      5,
      (key) => `cluster ${key}`,
    );
    expect(view).toEqual({
      times: [t0, t0 + 5],
      series: [
        { label: 'cluster 2', values: [3, 4] },
        { label: 'cluster 10', values: [1, 0] },
      ],
    });
  });

  it('fills the windows between the first and the last with zeros', () => {
    const view = alignRows(
      [
        { time: t0, key: 'a', value: 2 },
        { time: t0 + 15, key: 'a', value: 4 },
      ],
      5,
    );
    expect(view).toEqual({
      times: [t0, t0 + 5, t0 + 10, t0 + 15],
      series: [{ label: 'a', values: [2, 0, 0, 4] }],
    });
  });

  it('is empty without rows', () => {
    expect(alignRows([], 5)).toEqual({ times: [], series: [] });
  });
});

describe('shareOf, perSecond, totals', () => {
  const view = {
    times: [t0, t0 + 5, t0 + 10],
    series: [
      { label: 'anomaly', values: [1, 0, 0] },
      { label: 'normal', values: [9, 5, 0] },
    ],
  };
  it('computes the anomaly share per window, null where nothing was predicted', () => {
    expect(shareOf(view, 'anomaly', 'anomaly %').series[0]!.values).toEqual([10, 0, null]);
    expect(shareOf({ ...view, series: [view.series[1]!] }, 'anomaly', 'a').series[0]!.values).toEqual([
      0,
      0,
      null,
    ]);
  });
  it('divides counts by the window length and sums series', () => {
    expect(perSecond(view, 5).series[1]!.values).toEqual([1.8, 1, 0]);
    expect(Object.fromEntries(totals(view))).toEqual({ anomaly: 1, normal: 14 });
  });
});
