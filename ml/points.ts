import { featureColumns } from '../contracts/client-data.ts';
import { featurizeInto, normalizeCode, type PartialFeatureRecord, type Preprocessing } from './features.ts';

/**
 * Rows of categorical codes repeat a lot (66,326 published rows hold about 2,000 distinct
 * code combinations), so the trainer works on the distinct rows with their counts as weights.
 * Weighted k-means on distinct rows is exactly k-means on all rows, and silhouette over the
 * distinct rows with weights is exactly the silhouette over all rows, at a fraction of the cost.
 */
export interface WeightedPoints {
  count: number;
  dimension: number;
  /** count x dimension, row-major. */
  values: Float64Array;
  /** How many rows each point stands for. */
  weights: Float64Array;
  /**
   * For binary points (one-hot): the indices of each point's ones, `hotPerPoint` per point.
   * Distances then cost O(columns) instead of O(dimension).
   */
  hot?: Int32Array;
  hotPerPoint?: number;
}

export interface DistinctRecords {
  /** One record per distinct code combination, in order of first appearance. */
  records: PartialFeatureRecord[];
  weights: Float64Array;
  /** For each input record, the index of its distinct record. */
  indexOf: Int32Array;
}

export function distinctRecords(records: readonly PartialFeatureRecord[]): DistinctRecords {
  const byKey = new Map<string, number>();
  const distinct: PartialFeatureRecord[] = [];
  const counts: number[] = [];
  const indexOf = new Int32Array(records.length);
  records.forEach((record, i) => {
    const key = featureColumns.map((column) => normalizeCode(record[column])).join(',');
    let index = byKey.get(key);
    if (index === undefined) {
      index = distinct.length;
      byKey.set(key, index);
      distinct.push(record);
      counts.push(0);
    }
    counts[index]!++;
    indexOf[i] = index;
  });
  return { records: distinct, weights: Float64Array.from(counts), indexOf };
}

/** The one-hot feature space of the model (features.ts). */
export function oneHotPoints(distinct: DistinctRecords, preprocessing: Preprocessing): WeightedPoints {
  const dimension = preprocessing.dimension;
  const row = new Float32Array(dimension);
  const values = new Float64Array(distinct.records.length * dimension);
  const hotPerPoint = preprocessing.columns.length;
  const hot = new Int32Array(distinct.records.length * hotPerPoint);
  distinct.records.forEach((record, i) => {
    row.fill(0);
    featurizeInto(record, preprocessing, row);
    values.set(row, i * dimension);
    let h = 0;
    row.forEach((value, d) => {
      if (value === 1) hot[i * hotPerPoint + h++] = d;
    });
  });
  return { count: distinct.records.length, dimension, values, weights: distinct.weights, hot, hotPerPoint };
}

/** The original system's feature space: the raw integer codes as numbers, missing = -1. */
export function rawCodePoints(distinct: DistinctRecords): WeightedPoints {
  const dimension = featureColumns.length;
  const values = new Float64Array(distinct.records.length * dimension);
  distinct.records.forEach((record, i) => {
    featureColumns.forEach((column, j) => {
      values[i * dimension + j] = normalizeCode(record[column]);
    });
  });
  return { count: distinct.records.length, dimension, values, weights: distinct.weights };
}

/** Squared Euclidean distance between point i of `a` and row j of a centroid/point matrix `b`. */
/** Each cluster's weighted sum of its points (k rows of `dimension`) and its total weight. */
export function clusterSums(
  points: WeightedPoints,
  labels: Int32Array,
  k: number,
): { sums: Float64Array; mass: Float64Array } {
  const { dimension, count, values, weights } = points;
  const sums = new Float64Array(k * dimension);
  const mass = new Float64Array(k);
  for (let i = 0; i < count; i++) {
    const c = labels[i]!;
    mass[c]! += weights[i]!;
    for (let d = 0; d < dimension; d++) sums[c * dimension + d]! += weights[i]! * values[i * dimension + d]!;
  }
  return { sums, mass };
}

export function squaredDistance(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  dimension: number,
): number {
  let sum = 0;
  const ai = i * dimension;
  const bj = j * dimension;
  for (let d = 0; d < dimension; d++) {
    const diff = a[ai + d]! - b[bj + d]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * The squared Euclidean distance of point i to centroid c, as a function of i. For binary points
 * (`hot`) it costs O(columns): |x - c|^2 = |c|^2 - 2 x.c + |x|^2, where x.c sums c at x's ones and
 * |x|^2 is their count.
 */
export function distanceToCentroid(
  points: WeightedPoints,
  centroids: Float64Array,
  c: number,
): (i: number) => number {
  const { dimension, hot, hotPerPoint } = points;
  if (hot === undefined || hotPerPoint === undefined)
    return (i) => squaredDistance(points.values, i, centroids, c, dimension);
  const base = c * dimension;
  let norm = 0;
  for (let d = base; d < base + dimension; d++) norm += centroids[d]! ** 2;
  return (i) => {
    let dot = 0;
    for (let h = i * hotPerPoint, end = h + hotPerPoint; h < end; h++) dot += centroids[base + hot[h]!]!;
    return Math.max(0, norm - 2 * dot + hotPerPoint);
  };
}
