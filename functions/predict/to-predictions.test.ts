import { describe, expect, it } from 'vitest';
import type { ClientData } from '../../contracts/client-data.ts';
import { predictionSchema } from '../../contracts/prediction.ts';
import { toPredictions } from './to-predictions.ts';
import { clientDataRecord } from '../shared/testing.ts';

const record = (sample_id: string): ClientData => clientDataRecord({ sample_id });
const made = { at: new Date('2088-05-17T13:02:09.250Z'), pipelineType: 'cdn-kmeans@1.2.0' };

describe('toPredictions', () => {
  it.each([
    [{ cluster: 0, anomaly: false }, 0, 'normal'],
    [{ cluster: 3, anomaly: false }, 3, 'normal'],
    [{ cluster: 7, anomaly: true }, 7, 'anomaly'],
  ])('turns %j into cluster %d tagged %s', (verdict, cluster, tag) => {
    const [prediction] = toPredictions([record('a')], [verdict], made);
    expect(prediction).toEqual({
      sample_id: 'a',
      prediction_timestamp: '2088-05-17T13:02:09.250Z',
      prediction: cluster,
      tag,
      pipeline_type: 'cdn-kmeans@1.2.0',
    });
    expect(predictionSchema.parse(prediction)).toEqual(prediction);
  });

  it('keeps the order of the batch', () => {
    const predictions = toPredictions(
      [record('a'), record('b'), record('c')],
      [
        { cluster: 2, anomaly: false },
        { cluster: 0, anomaly: true },
        { cluster: 1, anomaly: false },
      ],
      made,
    );
    expect(predictions.map((p) => [p.sample_id, p.prediction, p.tag])).toEqual([
      ['a', 2, 'normal'],
      ['b', 0, 'anomaly'],
      ['c', 1, 'normal'],
    ]);
  });

  it.each([
    [
      'fewer verdicts than records',
      [record('a'), record('b')],
      [{ cluster: 1, anomaly: false }],
      /1 verdicts for 2 records/,
    ],
    ['a negative cluster', [record('a')], [{ cluster: -1, anomaly: false }], /cluster -1/],
    ['a fractional cluster', [record('a')], [{ cluster: 1.5, anomaly: false }], /cluster 1.5/],
  ])('refuses %s as an internal fault', (_label, records, verdicts, message) => {
    expect(() => toPredictions(records, verdicts, made)).toThrow(
      expect.objectContaining({ code: 'INTERNAL', message: expect.stringMatching(message) }),
    );
  });
});
