import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../contracts/prediction.ts';
import { pointIdentity, toLine } from '../shared/point.ts';
import { predictionPoint } from './prediction-point.ts';

const prediction: Prediction = {
  sample_id: '0b6f5c2e-8a4d-5d1e-9c3b-2f7a1e4d6c8b',
  prediction_timestamp: '2088-05-17T13:02:08.417Z',
  prediction: 4,
  tag: 'normal',
  pipeline_type: 'cdn-kmeans@1.0.0',
};
const source = { topic: 'cdn_result', partition: 2, offset: '31337' };

describe('predictionPoint', () => {
  it('tags the verdict and the model, stores sample_id and cluster as fields', () => {
    // 31337 % 15625 = 87; 87 * 64 + 2 = 5570 ns into the millisecond.
    expect(toLine(predictionPoint(prediction, source))).toBe(
      'predictions,pipeline_type=cdn-kmeans@1.0.0,tag=normal prediction=4i,sample_id="0b6f5c2e-8a4d-5d1e-9c3b-2f7a1e4d6c8b" 3735637328417005570',
    );
  });

  it('lands a re-delivered record on the same point', () => {
    expect(pointIdentity(predictionPoint({ ...prediction }, { ...source }))).toBe(
      pointIdentity(predictionPoint(prediction, source)),
    );
  });

  it('keeps a whole batch stamped in one millisecond apart, across partitions', () => {
    const identities = new Set<string>();
    for (let partition = 0; partition < 6; partition++) {
      for (let offset = 0; offset < 1000; offset++) {
        const point = predictionPoint(
          { ...prediction, sample_id: `s-${partition}-${offset}` },
          { ...source, partition, offset: String(500_000 + offset) },
        );
        identities.add(pointIdentity(point));
      }
    }
    expect(identities.size).toBe(6000);
  });

  it('separates predictions that differ only in their verdict or model by tag', () => {
    const a = pointIdentity(predictionPoint(prediction, source));
    expect(pointIdentity(predictionPoint({ ...prediction, tag: 'anomaly' }, source))).not.toBe(a);
    expect(
      pointIdentity(predictionPoint({ ...prediction, pipeline_type: 'cdn-kmeans@1.0.1' }, source)),
    ).not.toBe(a);
  });

  it('escapes tag values that line protocol reserves', () => {
    const line = toLine(predictionPoint({ ...prediction, tag: 'very odd, tag=x' }, source));
    expect(line.startsWith('predictions,pipeline_type=cdn-kmeans@1.0.0,tag=very\\ odd\\,\\ tag\\=x ')).toBe(
      true,
    );
  });
});
