import { describe, expect, it } from 'vitest';
import type { WeightedPoints } from './points.ts';
import { daviesBouldin, distanceMatrix, silhouette, thresholdAt, weightedPercentile } from './scores.ts';
import { chooseK, selectK } from './select-k.ts';

const points = (rows: number[][], weights?: number[]): WeightedPoints => ({
  count: rows.length,
  dimension: rows[0]!.length,
  values: Float64Array.from(rows.flat()),
  weights: Float64Array.from(weights ?? rows.map(() => 1)),
});

/** The textbook silhouette over unweighted rows, as the reference. */
function naiveSilhouette(rows: number[][], labels: number[]): number {
  const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));
  const clusters = [...new Set(labels)];
  const scores = rows.map((row, i) => {
    const own = rows.filter((_, j) => labels[j] === labels[i] && j !== i);
    if (own.length === 0) return 0;
    const a = own.reduce((sum, other) => sum + distance(row, other), 0) / own.length;
    const b = Math.min(
      ...clusters
        .filter((c) => c !== labels[i])
        .map((c) => {
          const members = rows.filter((_, j) => labels[j] === c);
          return members.reduce((sum, other) => sum + distance(row, other), 0) / members.length;
        }),
    );
    return (b - a) / Math.max(a, b);
  });
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

describe('silhouette', () => {
  it('over weighted points equals the silhouette over the rows they stand for', () => {
    const distinct = [
      [0, 0],
      [1, 0],
      [0, 1.5],
      [8, 8],
      [9, 7],
      [20, 1],
    ];
    const weights = [3, 1, 2, 4, 1, 2];
    const labels = [0, 0, 0, 1, 1, 2];
    const rows = distinct.flatMap((row, i) => Array.from({ length: weights[i]! }, () => row));
    const rowLabels = labels.flatMap((label, i) => Array.from({ length: weights[i]! }, () => label));
    const weighted = points(distinct, weights);
    expect(silhouette(distanceMatrix(weighted), weighted.weights, Int32Array.from(labels), 3)).toBeCloseTo(
      naiveSilhouette(rows, rowLabels),
      6, // the distance matrix is float32
    );
  });

  it('is 0 with a single cluster and near 1 for far-apart tight clusters', () => {
    const tight = points([
      [0, 0],
      [0, 0.1],
      [100, 100],
      [100, 100.1],
    ]);
    const matrix = distanceMatrix(tight);
    expect(silhouette(matrix, tight.weights, Int32Array.from([0, 0, 0, 0]), 1)).toBe(0);
    expect(silhouette(matrix, tight.weights, Int32Array.from([0, 0, 1, 1]), 2)).toBeGreaterThan(0.99);
  });
});

describe('daviesBouldin', () => {
  it('matches a hand computation', () => {
    // Cluster A: (0,0),(2,0) -> centre (1,0), spread 1. Cluster B: (10,0),(10,4) -> centre (10,2), spread 2.
    const data = points([
      [0, 0],
      [2, 0],
      [10, 0],
      [10, 4],
    ]);
    const expected = (1 + 2) / Math.hypot(9, 2);
    expect(daviesBouldin(data, Int32Array.from([0, 0, 1, 1]), 2)).toBeCloseTo(expected, 12);
  });
});

describe('k selection', () => {
  it('picks the number of clusters a tiny synthetic set was made with', () => {
    const centres = [
      [0, 0],
      [6, 0],
      [0, 6],
      [6, 6],
    ];
    const rows = centres.flatMap(([x, y]) => [
      [x!, y!],
      [x! + 0.5, y!],
      [x!, y! + 0.5],
      [x! + 0.4, y! + 0.4],
      [x! + 0.2, y! + 0.1],
    ]);
    const data = points(rows);
    const selection = selectK({ train: data, heldOut: data, silhouetteSample: data }, [2, 3, 4, 5, 6], {
      seed: 1,
      restarts: 5,
      maxIterations: 100,
    });
    expect(selection.chosenK).toBe(4);
    expect(selection.scores.map((score) => score.k)).toEqual([2, 3, 4, 5, 6]);
  });

  it('breaks ties toward the smaller k', () => {
    const score = (k: number, silhouette: number) => ({
      k,
      inertia: 0,
      iterations: 1,
      silhouette,
      daviesBouldin: 1,
    });
    expect(chooseK([score(2, 0.5), score(3, 0.7), score(4, 0.7)])).toBe(3);
  });
});

describe('threshold', () => {
  const values = Float64Array.from([1, 2, 3, 4]);

  it('takes weighted percentiles', () => {
    expect(weightedPercentile(values, Float64Array.from([97, 1, 1, 1]), 97)).toBe(1);
    expect(weightedPercentile(values, Float64Array.from([97, 1, 1, 1]), 99)).toBe(3);
  });

  it('sits halfway between the percentile distance and the next one seen', () => {
    expect(thresholdAt(values, Float64Array.from([97, 1, 1, 1]), 99)).toBe(3.5);
  });
});
