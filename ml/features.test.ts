import { describe, expect, it } from 'vitest';
import { featurize, featurizeBatch, preprocessingSchema, slotOf, type FeatureRecord } from './features.ts';
import { buildPreprocessing, columnVocabulary } from './vocabulary.ts';
import { featureRecord } from './support/records.ts';

/** 100 records: a common profile, a second one, and a few rare codes. */
const training: FeatureRecord[] = [
  ...Array.from({ length: 60 }, () => featureRecord()),
  ...Array.from({ length: 39 }, () =>
    featureRecord({ channel_id: 2, host_id: 123, content_type: 4, geo_location: 0, user_id: 7 }),
  ),
  featureRecord({
    channel_id: 3,
    host_id: 77,
    content_type: 7,
    protocol: 0,
    content_id: 1145,
    geo_location: 999,
    user_id: 2,
  }),
];

describe('buildPreprocessing', () => {
  const preprocessing = buildPreprocessing(training, { maxCodesPerColumn: 32, minShare: 0.02 });

  it('keeps frequent codes, most frequent first, and lays the columns out one after another', () => {
    expect(preprocessingSchema.parse(preprocessing)).toEqual(preprocessing);
    const host = preprocessing.columns.find((column) => column.name === 'host_id')!;
    expect(host.vocabulary).toEqual([156, 123]);
    expect(host.width).toBe(3);
    expect(preprocessing.dimension).toBe(
      preprocessing.columns.reduce((sum, column) => sum + column.width, 0),
    );
  });

  it('keeps -1 (missing) as an ordinary code when it is frequent', () => {
    expect(preprocessing.columns.find((column) => column.name === 'content_id')!.vocabulary).toEqual([-1]);
  });

  it('caps the vocabulary at the most frequent codes, ties by smaller code', () => {
    const many = Array.from({ length: 40 }, (_, i) => featureRecord({ geo_location: i % 4 }));
    expect(columnVocabulary(many, 'geo_location', { maxCodesPerColumn: 2, minShare: 0 })).toEqual([0, 1]);
  });
});

describe('featurize', () => {
  const preprocessing = buildPreprocessing(training, { maxCodesPerColumn: 32, minShare: 0.02 });
  const hotSlots = (row: Float32Array) => [...row.keys()].filter((i) => row[i] === 1);

  it('sets exactly one slot per column', () => {
    const row = featurize(featureRecord(), preprocessing);
    expect(row).toHaveLength(preprocessing.dimension);
    expect(hotSlots(row)).toHaveLength(preprocessing.columns.length);
    expect(row.reduce((sum, value) => sum + value, 0)).toBe(preprocessing.columns.length);
    expect(hotSlots(row)).toEqual(preprocessing.columns.map((column) => column.offset));
  });

  it('puts codes outside the vocabulary into the "other" slot', () => {
    const host = preprocessing.columns.find((column) => column.name === 'host_id')!;
    const row = featurize(featureRecord({ host_id: 9999 }), preprocessing);
    expect(row[host.offset + host.vocabulary.length]).toBe(1);
    expect(slotOf(host, 77)).toBe(host.vocabulary.length);
  });

  it('treats missing values (null, undefined, NaN) as -1', () => {
    const expected = featurize(featureRecord({ content_id: -1 }), preprocessing);
    expect(featurize({ ...featureRecord(), content_id: null }, preprocessing)).toEqual(expected);
    expect(featurize({ ...featureRecord(), content_id: undefined }, preprocessing)).toEqual(expected);
    expect(featurize({ ...featureRecord(), content_id: Number.NaN }, preprocessing)).toEqual(expected);
    const contentId = preprocessing.columns.find((column) => column.name === 'content_id')!;
    expect(slotOf(contentId, null)).toBe(0);
  });

  it('fills a batch row-major, equal to featurizing each record', () => {
    const records = [featureRecord(), featureRecord({ user_id: 7 }), featureRecord({ geo_location: 5 })];
    const batch = featurizeBatch(records, preprocessing);
    records.forEach((r, i) => {
      expect(batch.subarray(i * preprocessing.dimension, (i + 1) * preprocessing.dimension)).toEqual(
        featurize(r, preprocessing),
      );
    });
  });

  it('rejects a preprocessing object whose layout does not add up', () => {
    const broken = { ...preprocessing, dimension: preprocessing.dimension + 1 };
    expect(preprocessingSchema.safeParse(broken).success).toBe(false);
    const shifted = {
      ...preprocessing,
      columns: preprocessing.columns.map((c, i) => (i === 1 ? { ...c, offset: c.offset + 1 } : c)),
    };
    expect(preprocessingSchema.safeParse(shifted).success).toBe(false);
  });
});
