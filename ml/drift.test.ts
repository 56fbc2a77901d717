import { describe, expect, it } from 'vitest';
import {
  anomalyRateState,
  driftReport,
  liveShares,
  psi,
  psiState,
  trainingBins,
  worst,
  type DriftOptions,
} from './drift.ts';
import type { PartialFeatureRecord } from './features.ts';
import { buildRarity } from './rarity.ts';
import { commonRecord } from './support/records.ts';

/** 1,000 training rows: host 120 in 60 %, 121 in 30 %, 122 in 9.5 %, five hosts once each. */
function training(): PartialFeatureRecord[] {
  const rows: PartialFeatureRecord[] = [];
  for (let i = 0; i < 600; i++) rows.push({ ...commonRecord, host_id: 120 });
  for (let i = 0; i < 300; i++) rows.push({ ...commonRecord, host_id: 121 });
  for (let i = 0; i < 95; i++) rows.push({ ...commonRecord, host_id: 122 });
  for (let i = 0; i < 5; i++) rows.push({ ...commonRecord, host_id: 900 + i });
  return rows;
}

const options: DriftOptions = { maxBins: 20, minShare: 0.01, floor: 1e-4, minRecords: 100 };

describe('psi', () => {
  it.each([
    ['identical distributions', [0.5, 0.5], [0.5, 0.5], 0],
    // (0.6-0.5) ln(0.6/0.5) + (0.4-0.5) ln(0.4/0.5)
    ['a 10-point shift', [0.5, 0.5], [0.6, 0.4], 0.1 * Math.log(1.2) - 0.1 * Math.log(0.8)],
  ])('%s', (_, expected, actual, value) => {
    expect(psi(expected, actual)).toBeCloseTo(value, 12);
  });

  it('stays finite when a bin is empty on one side, through the floor', () => {
    const value = psi([0.5, 0.5, 0], [0.5, 0.4, 0.1], 1e-4);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(0.25);
  });
});

describe('states', () => {
  it.each([
    [0, 'ok'],
    [0.0999, 'ok'],
    [0.1, 'watch'],
    [0.2499, 'watch'],
    [0.25, 'retrain'],
    [3, 'retrain'],
  ] as const)('PSI %f is %s', (value, state) => {
    expect(psiState(value)).toBe(state);
  });

  it.each([
    [0.01, 0.01, 'ok'],
    [0.019, 0.01, 'ok'],
    [0.02, 0.01, 'watch'],
    [0.04, 0.01, 'retrain'],
    [0.005, 0, 'retrain'],
  ] as const)('anomaly rate %f against %f expected is %s', (live, expected, state) => {
    expect(anomalyRateState(live, expected)).toBe(state);
  });

  it('takes the worse of two states', () => {
    expect(worst('ok', 'watch')).toBe('watch');
    expect(worst('retrain', 'watch')).toBe('retrain');
    expect(worst('ok', 'ok')).toBe('ok');
  });
});

describe('trainingBins and liveShares', () => {
  const rarity = buildRarity(training());
  const host = trainingBins(rarity, options).find((bins) => bins.column === 'host_id')!;

  it('gives frequent codes a bin each and folds the rare ones into "other"', () => {
    expect(host.codes).toEqual([120, 121, 122]);
    expect(host.expected).toEqual([0.6, 0.3, 0.095, expect.closeTo(0.005, 12)]);
  });

  it('counts unseen and rare live codes in "other"', () => {
    const live = [
      { ...commonRecord, host_id: 120 },
      { ...commonRecord, host_id: 901 },
      { ...commonRecord, host_id: 5555 },
      { ...commonRecord, host_id: 121 },
    ];
    expect(liveShares(host, live)).toEqual([0.25, 0.25, 0, 0.5]);
  });
});

describe('driftReport', () => {
  const model = { name: 'cdn-kmeans@x', rarity: buildRarity(training()), expectedAnomalyRate: 0.01 };
  const anomalies = (count: number, rate: number) =>
    Array.from({ length: count }, (_, i) => i < count * rate);

  it('is ok for live traffic drawn like the training data', () => {
    const report = driftReport(model, { records: training(), anomalies: anomalies(1000, 0.012) }, options);
    expect(report.state).toBe('ok');
    expect(report.columns.every((column) => column.psi < 1e-9)).toBe(true);
    expect(report.anomalyRate).toEqual({ live: 0.012, expected: 0.01, state: 'ok' });
  });

  it('says retrain when a column moved, naming it, and watch for a doubled anomaly rate', () => {
    const shifted = training().map((row, i) => (i % 2 === 0 ? { ...row, host_id: 4000 + (i % 50) } : row));
    const report = driftReport(model, { records: shifted, anomalies: anomalies(1000, 0.025) }, options);
    const host = report.columns.find((column) => column.column === 'host_id')!;
    expect(host.state).toBe('retrain');
    expect(report.columns.filter((column) => column.state !== 'ok').map((column) => column.column)).toEqual([
      'host_id',
    ]);
    expect(report.anomalyRate.state).toBe('watch');
    expect(report.state).toBe('retrain');
  });

  it('gives no state from too few records', () => {
    const report = driftReport(
      model,
      { records: training().slice(0, 10), anomalies: anomalies(10, 0.5) },
      options,
    );
    expect(report.state).toBe('too few records');
    expect(report.columns[0]!.state).toBe('too few records');
    expect(report.records).toBe(10);
  });
});
