import { createRng, type Rng } from '../lib/prng.ts';
import { clusterSums, distanceToCentroid, type WeightedPoints } from './points.ts';

/**
 * Weighted k-means (Lloyd's algorithm with k-means++ seeding), seeded and deterministic.
 * Each point stands for `weight` identical rows, so the result equals plain k-means on the
 * rows themselves (checked against ml-kmeans in the tests), at the cost of the distinct rows.
 */
export interface KMeansOptions {
  seed: number;
  /** Independent seedings; the fit with the lowest inertia wins. */
  restarts: number;
  maxIterations: number;
  /** Initial centroids (k x dimension) instead of k-means++; restarts are then ignored. */
  initialCentroids?: Float64Array;
}

export const defaultKMeansOptions: KMeansOptions = { seed: 42, restarts: 4, maxIterations: 300 };

export interface KMeansFit {
  k: number;
  dimension: number;
  /** k x dimension, row-major. */
  centroids: Float64Array;
  /** Nearest centroid of each point. */
  labels: Int32Array;
  /** Weighted sum of squared distances to the nearest centroid. */
  inertia: number;
  iterations: number;
  converged: boolean;
}

export interface Assignment {
  labels: Int32Array;
  /** Euclidean distance to the nearest centroid. */
  distances: Float64Array;
}

/** Nearest centroid of each point; ties go to the lower index (as ONNX ArgMin does). */
export function assign(points: WeightedPoints, centroids: Float64Array, k: number): Assignment {
  const labels = new Int32Array(points.count);
  const distances = new Float64Array(points.count);
  const toCentroid = Array.from({ length: k }, (_, c) => distanceToCentroid(points, centroids, c));
  for (let i = 0; i < points.count; i++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < k; c++) {
      const distance = toCentroid[c]!(i);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    labels[i] = best;
    distances[i] = Math.sqrt(bestDistance);
  }
  return { labels, distances };
}

function pickWeighted(weights: Float64Array, rng: Rng): number {
  let total = 0;
  for (const weight of weights) total += weight;
  let target = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/** k-means++: each next centroid is a point drawn with probability weight x D^2. */
export function seedCentroids(points: WeightedPoints, k: number, rng: Rng): Float64Array {
  const { dimension } = points;
  const centroids = new Float64Array(k * dimension);
  const first = pickWeighted(points.weights, rng);
  centroids.set(points.values.subarray(first * dimension, (first + 1) * dimension), 0);
  const nearest = new Float64Array(points.count).fill(Infinity);
  const score = new Float64Array(points.count);
  for (let c = 1; c < k; c++) {
    const toLatest = distanceToCentroid(points, centroids, c - 1);
    for (let i = 0; i < points.count; i++) {
      nearest[i] = Math.min(nearest[i]!, toLatest(i));
      score[i] = points.weights[i]! * nearest[i]!;
    }
    const next = pickWeighted(score, rng);
    centroids.set(points.values.subarray(next * dimension, (next + 1) * dimension), c * dimension);
  }
  return centroids;
}

function lloyd(points: WeightedPoints, k: number, initial: Float64Array, maxIterations: number): KMeansFit {
  const { dimension, count, values, weights } = points;
  const centroids = Float64Array.from(initial);
  let labels: Int32Array = new Int32Array(count).fill(-1);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    const assignment = assign(points, centroids, k);
    const changed = assignment.labels.some((label, i) => label !== labels[i]);
    labels = assignment.labels;
    if (!changed) {
      converged = true;
      break;
    }
    const { sums, mass } = clusterSums(points, labels, k);
    for (let c = 0; c < k; c++) {
      if (mass[c]! > 0) {
        for (let d = 0; d < dimension; d++)
          centroids[c * dimension + d] = sums[c * dimension + d]! / mass[c]!;
      } else {
        // An empty cluster restarts at the point that costs the most where it is.
        let worst = 0;
        let worstCost = -1;
        for (let i = 0; i < count; i++) {
          const cost = weights[i]! * assignment.distances[i]! ** 2;
          if (cost > worstCost) {
            worstCost = cost;
            worst = i;
          }
        }
        centroids.set(values.subarray(worst * dimension, (worst + 1) * dimension), c * dimension);
        assignment.distances[worst] = 0;
      }
    }
  }
  const final = assign(points, centroids, k);
  let inertia = 0;
  for (let i = 0; i < count; i++) inertia += weights[i]! * final.distances[i]! ** 2;
  return { k, dimension, centroids, labels: final.labels, inertia, iterations, converged };
}

export function weightedKMeans(
  points: WeightedPoints,
  k: number,
  options: KMeansOptions = defaultKMeansOptions,
): KMeansFit {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (points.count < k)
    throw new RangeError(`k = ${k} needs at least ${k} distinct points, got ${points.count}`);
  if (options.initialCentroids !== undefined)
    return lloyd(points, k, options.initialCentroids, options.maxIterations);
  const rng = createRng(options.seed);
  let best: KMeansFit | undefined;
  for (let restart = 0; restart < Math.max(1, options.restarts); restart++) {
    const fit = lloyd(points, k, seedCentroids(points, k, rng), options.maxIterations);
    if (best === undefined || fit.inertia < best.inertia) best = fit;
  }
  return best!;
}
