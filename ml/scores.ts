import { clusterSums, squaredDistance, type WeightedPoints } from './points.ts';

/**
 * Clustering scores over weighted points (a point of weight w is w identical rows), equal to
 * the usual definitions over the rows: silhouette (Euclidean, as scikit-learn; higher is
 * better, -1..1) and Davies-Bouldin (lower is better, 0 is best).
 */

/** Pairwise Euclidean distances, count x count. Computed once per point set, reused for every k. */
export function distanceMatrix(points: WeightedPoints): Float32Array {
  const n = points.count;
  const matrix = new Float32Array(n * n);
  const { hot, hotPerPoint } = points;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const distance =
        hot !== undefined && hotPerPoint !== undefined
          ? Math.sqrt(2 * differingHot(hot, hotPerPoint, i, j))
          : Math.sqrt(squaredDistance(points.values, i, points.values, j, points.dimension));
      matrix[i * n + j] = distance;
      matrix[j * n + i] = distance;
    }
  }
  return matrix;
}

/**
 * Pairwise Hamming distances over raw codes (how many of the 7 codes differ), count x count: the
 * distance between CDN records that needs no encoding, so it scores every approach's clusters
 * on the same ground.
 */
export function hammingMatrix(points: WeightedPoints): Float32Array {
  const n = points.count;
  const { values, dimension } = points;
  const matrix = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let differing = 0;
      for (let d = 0; d < dimension; d++)
        if (values[i * dimension + d] !== values[j * dimension + d]) differing++;
      matrix[i * n + j] = differing;
      matrix[j * n + i] = differing;
    }
  }
  return matrix;
}

/** How many of two binary points' ones differ (their one-hot rows differ in twice as many places). */
function differingHot(hot: Int32Array, hotPerPoint: number, i: number, j: number): number {
  let differing = 0;
  for (let h = 0; h < hotPerPoint; h++)
    if (hot[i * hotPerPoint + h] !== hot[j * hotPerPoint + h]) differing++;
  return differing;
}

/**
 * Mean silhouette over all rows. A row's own copies sit at distance 0 in its cluster, so
 * a(i) = sum of w_j d_ij over the cluster / (cluster rows - 1); a row alone in its cluster
 * scores 0 (scikit-learn's convention).
 */
export function silhouette(
  matrix: Float32Array,
  weights: Float64Array,
  labels: Int32Array,
  k: number,
): number {
  const n = weights.length;
  const clusterMass = new Float64Array(k);
  for (let i = 0; i < n; i++) clusterMass[labels[i]!]! += weights[i]!;
  const populated = clusterMass.filter((mass) => mass > 0).length;
  if (populated < 2) return 0;
  const sums = new Float64Array(k);
  let total = 0;
  let mass = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) sums[labels[j]!]! += weights[j]! * matrix[i * n + j]!;
    const own = labels[i]!;
    let score = 0;
    if (clusterMass[own]! > 1) {
      const a = sums[own]! / (clusterMass[own]! - 1);
      let b = Infinity;
      for (let c = 0; c < k; c++) {
        if (c !== own && clusterMass[c]! > 0) b = Math.min(b, sums[c]! / clusterMass[c]!);
      }
      const larger = Math.max(a, b);
      score = larger > 0 ? (b - a) / larger : 0;
    }
    total += weights[i]! * score;
    mass += weights[i]!;
  }
  return total / mass;
}

/** Davies-Bouldin index with the clusters' own (weighted) means as centres. */
export function daviesBouldin(points: WeightedPoints, labels: Int32Array, k: number): number {
  const { dimension, count, values, weights } = points;
  const { sums: centres, mass } = clusterSums(points, labels, k);
  const present: number[] = [];
  for (let c = 0; c < k; c++) {
    if (mass[c]! > 0) {
      present.push(c);
      for (let d = 0; d < dimension; d++) centres[c * dimension + d]! /= mass[c]!;
    }
  }
  if (present.length < 2) return 0;
  const spread = new Float64Array(k);
  for (let i = 0; i < count; i++) {
    const c = labels[i]!;
    spread[c]! += weights[i]! * Math.sqrt(squaredDistance(values, i, centres, c, dimension));
  }
  for (const c of present) spread[c]! /= mass[c]!;
  let total = 0;
  for (const a of present) {
    let worst = 0;
    for (const b of present) {
      if (a === b) continue;
      const separation = Math.sqrt(squaredDistance(centres, a, centres, b, dimension));
      const ratio = separation > 0 ? (spread[a]! + spread[b]!) / separation : Infinity;
      worst = Math.max(worst, ratio);
    }
    total += worst;
  }
  return total / present.length;
}

/** The value below which `percentile`% of the weighted values lie (nearest rank). */
export function weightedPercentile(values: Float64Array, weights: Float64Array, percentile: number): number {
  const order = Array.from(values.keys()).sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (const weight of weights) total += weight;
  const target = (percentile / 100) * total;
  let seen = 0;
  for (const index of order) {
    seen += weights[index]!;
    if (seen >= target) return values[index]!;
  }
  return values[order[order.length - 1]!] ?? 0;
}

/**
 * The anomaly threshold: halfway between the percentile's distance and the next larger distance
 * seen in training. One-hot distances take few distinct values, so a threshold exactly on one of
 * them would let float32 inference round rows to either side; halfway, no row is near it.
 */
export function thresholdAt(values: Float64Array, weights: Float64Array, percentile: number): number {
  const atPercentile = weightedPercentile(values, weights, percentile);
  let next = Infinity;
  for (const value of values) if (value > atPercentile + 1e-9 && value < next) next = value;
  return next === Infinity ? atPercentile + 1e-3 : (atPercentile + next) / 2;
}
