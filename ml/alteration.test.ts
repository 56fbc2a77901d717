import { describe, expect, it } from 'vitest';
import { featureColumns } from '../contracts/client-data.ts';
import { alterSample, replacementPools, tagQuality } from './alteration.ts';
import type { PartialFeatureRecord } from './features.ts';

/** 300 training rows: a few codes common in every column, and host 500 and location 900 seen once. */
function training(): PartialFeatureRecord[] {
  return Array.from({ length: 300 }, (_, i) => ({
    channel_id: i % 3,
    host_id: i === 0 ? 500 : 100 + (i % 5),
    content_type: 2,
    protocol: 1 + (i % 2),
    content_id: -1,
    geo_location: i === 1 ? 900 : 10 + (i % 7),
    user_id: 13,
  }));
}

const options = { normalRows: 40, alteredRows: 60, seed: 3, maxTrainingCount: 2 };

describe('replacementPools', () => {
  it('lists the codes the training rows have at most maxTrainingCount times', () => {
    const pools = replacementPools(training(), 2);
    expect(pools.rare.get('host_id')).toEqual([500]);
    expect(pools.rare.get('geo_location')).toEqual([900]);
    expect(pools.rare.get('protocol')).toEqual([]);
    expect(pools.seen.get('protocol')).toEqual(new Set([1, 2]));
  });
});

describe('alterSample', () => {
  const rows = training();
  const pools = replacementPools(rows, 2);

  it.each([1, 2, 3])('replaces exactly %i codes of each copy by rare or never-seen codes', (codesAltered) => {
    const sample = alterSample(rows, pools, { ...options, codesAltered });
    expect(sample.records).toHaveLength(100);
    expect(sample.anomalous.filter(Boolean)).toHaveLength(60);
    const counts = new Map<string, number>();
    for (const row of rows)
      for (const column of featureColumns)
        counts.set(`${column}=${row[column]}`, (counts.get(`${column}=${row[column]}`) ?? 0) + 1);
    sample.records.forEach((record, i) => {
      expect(sample.altered[i]).toHaveLength(sample.anomalous[i] ? codesAltered : 0);
      for (const column of sample.altered[i]!) {
        expect(counts.get(`${column}=${record[column]}`) ?? 0).toBeLessThanOrEqual(2);
      }
      const untouched = featureColumns.filter((column) => !sample.altered[i]!.includes(column));
      expect(untouched.every((column) => rows.some((row) => row[column] === record[column]))).toBe(true);
    });
  });

  it('draws the same sample for the same seed, another for another seed', () => {
    const a = alterSample(rows, pools, { ...options, codesAltered: 2 });
    expect(alterSample(rows, pools, { ...options, codesAltered: 2 })).toEqual(a);
    expect(alterSample(rows, pools, { ...options, seed: 4, codesAltered: 2 })).not.toEqual(a);
  });

  it('splits a small test set in halves', () => {
    const sample = alterSample(rows.slice(0, 50), pools, { ...options, codesAltered: 1 });
    expect(sample.anomalous.filter((value) => !value)).toHaveLength(25);
    expect(sample.records).toHaveLength(50);
  });
});

describe('tagQuality', () => {
  it('counts precision over the flagged rows and recall over the anomalous ones', () => {
    expect(tagQuality([true, true, false, true], [true, false, false, true])).toEqual({
      rows: 4,
      anomalies: 2,
      flagged: 3,
      truePositives: 2,
      precision: 2 / 3,
      recall: 1,
    });
    expect(tagQuality([false], [false])).toMatchObject({ precision: 0, recall: 0 });
  });
});
