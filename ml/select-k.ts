import { assign, weightedKMeans, type KMeansFit, type KMeansOptions } from './kmeans.ts';
import type { WeightedPoints } from './points.ts';
import { daviesBouldin, distanceMatrix, silhouette } from './scores.ts';

/**
 * k selection for one feature space: fit on the training split for every k in the range, then
 * score the held-out split: held-out points take their nearest centroid, silhouette (over a
 * sample when the split is large) and Davies-Bouldin are computed on them. The chosen k has
 * the highest held-out silhouette; a tie (within 1e-6) goes to the smaller k.
 */
export interface SpaceData {
  train: WeightedPoints;
  /** The held-out split, for Davies-Bouldin. */
  heldOut: WeightedPoints;
  /** A sample of the held-out split, for silhouette (quadratic in its distinct points). */
  silhouetteSample: WeightedPoints;
}

export interface KScore {
  k: number;
  /** Weighted sum of squared distances of the training split to its centroids. */
  inertia: number;
  iterations: number;
  silhouette: number;
  daviesBouldin: number;
}

export interface KSelection {
  scores: KScore[];
  chosenK: number;
  fits: Map<number, KMeansFit>;
}

export const selectionRule =
  'highest silhouette on the held-out split (ties: smaller k); Davies-Bouldin reported beside it';

export function chooseK(scores: readonly KScore[]): number {
  let best = scores[0]!;
  for (const score of scores) if (score.silhouette > best.silhouette + 1e-6) best = score;
  return best.k;
}

export interface SelectionHooks {
  /** Called after each k is fitted and scored. */
  onStep?: (k: number) => void;
  /** The sample's distance matrix, when the caller already has it. */
  matrix?: Float32Array;
}

export function selectK(
  data: SpaceData,
  kValues: readonly number[],
  options: KMeansOptions,
  hooks: SelectionHooks = {},
): KSelection {
  const matrix = hooks.matrix ?? distanceMatrix(data.silhouetteSample);
  const scores: KScore[] = [];
  const fits = new Map<number, KMeansFit>();
  for (const k of kValues) {
    const fit = weightedKMeans(data.train, k, options);
    fits.set(k, fit);
    const heldOut = assign(data.heldOut, fit.centroids, k);
    const sample = assign(data.silhouetteSample, fit.centroids, k);
    scores.push({
      k,
      inertia: fit.inertia,
      iterations: fit.iterations,
      silhouette: silhouette(matrix, data.silhouetteSample.weights, sample.labels, k),
      daviesBouldin: daviesBouldin(data.heldOut, heldOut.labels, k),
    });
    hooks.onStep?.(k);
  }
  return { scores, chosenK: chooseK(scores), fits };
}
