import { kmeans as mlKMeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { createRng } from '../lib/prng.ts';
import { assign, seedCentroids, weightedKMeans } from './kmeans.ts';
import { distinctRecords, oneHotPoints, type WeightedPoints } from './points.ts';
import { buildPreprocessing } from './vocabulary.ts';

/** Three blobs in 2-D, with repeated points (the weights). */
function blobs(): { rows: number[][]; points: WeightedPoints } {
  const rng = createRng(9);
  const centres = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const distinct: number[][] = [];
  const weights: number[] = [];
  for (const [cx, cy] of centres) {
    for (let i = 0; i < 15; i++) {
      distinct.push([cx! + rng.next() * 2, cy! + rng.next() * 2]);
      weights.push(1 + rng.int(4));
    }
  }
  const rows = distinct.flatMap((point, i) => Array.from({ length: weights[i]! }, () => point));
  return {
    rows,
    points: {
      count: distinct.length,
      dimension: 2,
      values: Float64Array.from(distinct.flat()),
      weights: Float64Array.from(weights),
    },
  };
}

describe('weightedKMeans', () => {
  it('equals ml-kmeans on the rows expanded by their weights, from the same start', () => {
    const { rows, points } = blobs();
    const initial = seedCentroids(points, 3, createRng(1));
    const ours = weightedKMeans(points, 3, {
      seed: 1,
      restarts: 1,
      maxIterations: 100,
      initialCentroids: initial,
    });
    const reference = mlKMeans(rows, 3, {
      initialization: [0, 1, 2].map((c) => Array.from(initial.subarray(c * 2, c * 2 + 2))),
      maxIterations: 100,
      tolerance: 1e-12,
    });
    ours.centroids.forEach((value, i) =>
      expect(value).toBeCloseTo(reference.centroids[Math.floor(i / 2)]![i % 2]!, 9),
    );
  });

  it('finds the blobs and is deterministic for a seed', () => {
    const { points } = blobs();
    const a = weightedKMeans(points, 3, { seed: 4, restarts: 3, maxIterations: 100 });
    const b = weightedKMeans(points, 3, { seed: 4, restarts: 3, maxIterations: 100 });
    expect(a.centroids).toEqual(b.centroids);
    expect(a.converged).toBe(true);
    expect(new Set(a.labels.subarray(0, 15)).size).toBe(1);
    expect(new Set([a.labels[0], a.labels[15], a.labels[30]]).size).toBe(3);
  });

  it('refuses a k larger than the distinct points', () => {
    const { points } = blobs();
    expect(() => weightedKMeans(points, 46)).toThrow(/at least 46 distinct points/);
  });

  it('computes the same assignment for one-hot points with or without the sparse path', () => {
    const rng = createRng(2);
    const records = Array.from({ length: 400 }, () => ({
      channel_id: rng.int(3),
      host_id: rng.int(6),
      content_type: rng.int(4),
      protocol: rng.int(2),
      content_id: -1,
      geo_location: rng.int(9),
      user_id: rng.int(5),
    }));
    const points = oneHotPoints(
      distinctRecords(records),
      buildPreprocessing(records, { maxCodesPerColumn: 4, minShare: 0 }),
    );
    const fit = weightedKMeans(points, 5, { seed: 3, restarts: 2, maxIterations: 100 });
    const dense: WeightedPoints = { ...points, hot: undefined, hotPerPoint: undefined };
    const sparse = assign(points, fit.centroids, 5);
    const plain = assign(dense, fit.centroids, 5);
    expect(sparse.labels).toEqual(plain.labels);
    sparse.distances.forEach((distance, i) => expect(distance).toBeCloseTo(plain.distances[i]!, 9));
  });
});

describe('distinctRecords', () => {
  it('counts repeated code combinations as weights and maps every row to its point', () => {
    const a = {
      channel_id: 1,
      host_id: 1,
      content_type: 1,
      protocol: 1,
      content_id: -1,
      geo_location: 1,
      user_id: 1,
    };
    const b = { ...a, host_id: 2 };
    const distinct = distinctRecords([a, b, a, { ...a, content_id: null }]);
    expect(distinct.records).toEqual([a, b]);
    expect([...distinct.weights]).toEqual([3, 1]);
    expect([...distinct.indexOf]).toEqual([0, 1, 0, 0]);
  });
});
