import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../contracts/prediction.ts';
import { countPoints } from './support/influx.ts';
import { loaderUnderTest } from './support/loader.ts';
import { kafkaRecords } from './support/records.ts';

const loader = loaderUnderTest('load-predictions');
const { target, database, store } = loader;

/** A predict batch: every prediction stamped in the same millisecond, as predict does. */
function predictions(count: number, stamp: string, prefix: string): Prediction[] {
  return Array.from({ length: count }, (_, i) => ({
    sample_id: `${prefix}-${i}`,
    prediction_timestamp: stamp,
    prediction: i % 5,
    tag: i % 50 === 0 ? 'anomaly' : 'normal',
    pipeline_type: 'cdn-kmeans@test',
  }));
}

describe('load-predictions writes predictions', () => {
  it('keeps 6,000 predictions made in one millisecond apart, and stores a re-delivered batch once', async () => {
    const records = kafkaRecords(
      'cdn_result',
      predictions(6000, '2088-05-19T07:00:00.123Z', 'batch'),
      6,
      1_000_000,
    );
    await store(records);
    await store(records);
    expect(await countPoints(target, database, 'predictions')).toBe(6000);
    const rows = await loader.rows(
      `SELECT sample_id FROM predictions WHERE time >= '2088-05-19T07:00:00.123Z' AND time < '2088-05-19T07:00:00.124Z'`,
    );
    expect(new Set(rows.map((row) => row.sample_id)).size).toBe(6000);
  });

  it('stores sample_id and cluster as fields, tag and pipeline_type as tags', async () => {
    const [prediction] = predictions(1, '2088-05-19T08:00:00.000Z', 'shape');
    await store(kafkaRecords('cdn_result', [prediction], 1, 77));
    const rows = await loader.rows(`SELECT * FROM predictions WHERE sample_id = 'shape-0'`);
    // offset 77 in partition 0: 77 * 64 ns into the millisecond.
    expect(rows).toEqual([
      {
        time: '2088-05-19T08:00:00.000004928Z',
        sample_id: 'shape-0',
        prediction: 0,
        tag: 'anomaly',
        pipeline_type: 'cdn-kmeans@test',
      },
    ]);
    const tagKeys = await loader.rows('SHOW TAG KEYS FROM predictions');
    expect(tagKeys.map((row) => row.tagKey).sort()).toEqual(['pipeline_type', 'tag']);
  });

  it('stores an ad-hoc Prediction', async () => {
    const [prediction] = predictions(1, '2088-05-19T09:00:00.000Z', 'adhoc');
    await loader.storeOne(prediction);
    const rows = await loader.rows(`SELECT sample_id FROM predictions WHERE sample_id = 'adhoc-0'`);
    expect(rows).toHaveLength(1);
  });
});
