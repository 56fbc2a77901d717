import { CdnfaasError } from '../lib/errors.ts';
import { createRng } from '../lib/prng.ts';
import type { Preprocessing } from './features.ts';
import { assign, type KMeansFit, type KMeansOptions } from './kmeans.ts';
import {
  distinctRecords,
  oneHotPoints,
  rawCodePoints,
  type DistinctRecords,
  type WeightedPoints,
} from './points.ts';
import { buildRarity, rarityScores, type Rarity } from './rarity.ts';
import { distanceMatrix, silhouette, thresholdAt } from './scores.ts';
import { selectK, selectionRule, type KScore, type SpaceData } from './select-k.ts';
import { buildPreprocessing, defaultVocabularyOptions, type VocabularyOptions } from './vocabulary.ts';
import type { TrainingRecord } from './dataset.ts';

export interface TrainOptions {
  kMin: number;
  kMax: number;
  seed: number;
  /** Share of rows held out for scoring k. */
  heldOutFraction: number;
  /** Held-out rows used for silhouette (its cost grows with their distinct combinations squared). */
  silhouetteSampleRows: number;
  /** Training distances above this percentile are anomalies. */
  thresholdPercentile: number;
  vocabulary: VocabularyOptions;
  kmeans: Omit<KMeansOptions, 'seed' | 'initialCentroids'>;
}

export const defaultTrainOptions: TrainOptions = {
  kMin: 2,
  kMax: 12,
  seed: 42,
  heldOutFraction: 0.2,
  silhouetteSampleRows: 5000,
  thresholdPercentile: 99,
  vocabulary: defaultVocabularyOptions,
  kmeans: { restarts: 10, maxIterations: 300 },
};

export interface ApproachReport {
  features: string;
  chosenK: number;
  chosen: KScore;
  /** Silhouette of this approach's held-out labels measured in the other approach's space. */
  silhouetteInOtherSpace: number;
  byK: KScore[];
}

export interface TrainResult {
  preprocessing: Preprocessing;
  fit: KMeansFit;
  threshold: number;
  /** The training split's distribution of every column (rarity.ts). */
  rarity: Rarity;
  /** Rarity scores above this are anomalies: the percentile of the held-out split's scores. */
  rarityThreshold: number;
  /** Share of the held-out split above rarityThreshold. */
  expectedAnomalyRate: number;
  /** The original system's approach, kept for comparison: k-means on raw codes and its p-th distance. */
  baselineFit: KMeansFit;
  baselineThreshold: number;
  split: {
    rows: number;
    trainRows: number;
    heldOutRows: number;
    silhouetteRows: number;
    distinctTrain: number;
  };
  selectionRule: string;
  model: ApproachReport;
  baseline: ApproachReport;
}

export type TrainStep = 'k selection' | 'baseline';

/**
 * Refuses data too small for the k range before any work: k-means with k clusters needs k
 * distinct points, and every k from kMin to kMax is fitted. Throws INVALID_INPUT naming the
 * counts and the --k-max that would fit. Pure.
 */
export function checkTrainable(input: {
  rows: number;
  distinctTrain: number;
  kMin: number;
  kMax: number;
}): void {
  if (input.rows < 2) {
    throw new CdnfaasError('INVALID_INPUT', `training needs at least 2 rows, the data has ${input.rows}`, {
      hint: 'train on a CSV with more rows, e.g. ../shared/data/train_cdn.csv or npx cdnfaas generate-data',
    });
  }
  if (input.distinctTrain >= input.kMax) return;
  const fits = input.distinctTrain >= Math.max(2, input.kMin);
  throw new CdnfaasError(
    'INVALID_INPUT',
    `too few distinct rows for k: k up to ${input.kMax} needs ${input.kMax} distinct code combinations in the training split, the data has ${input.distinctTrain} (in ${input.rows} rows)`,
    {
      hint: fits
        ? `lower --k-max to ${input.distinctTrain}, or train on more varied data`
        : 'train on more varied data (at least 2 distinct code combinations per cluster tried)',
      context: { ...input },
    },
  );
}

/** A seeded split of row indices: held out (for scoring) and training. */
export function splitRows(
  count: number,
  heldOutFraction: number,
  seed: number,
): { train: number[]; heldOut: number[] } {
  const order = Array.from({ length: count }, (_, i) => i);
  const rng = createRng(`${seed}:split`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const heldOutCount = Math.min(count - 1, Math.max(1, Math.round(count * heldOutFraction)));
  return {
    heldOut: order.slice(0, heldOutCount).sort((a, b) => a - b),
    train: order.slice(heldOutCount).sort((a, b) => a - b),
  };
}

function spaces(
  distinct: DistinctRecords,
  preprocessing: Preprocessing,
): { oneHot: WeightedPoints; raw: WeightedPoints } {
  return { oneHot: oneHotPoints(distinct, preprocessing), raw: rawCodePoints(distinct) };
}

/**
 * Trains the model: vocabulary on the training split, k-means over k in kMin..kMax in the one-hot
 * space (the model) and on the raw integer codes (the original system's approach, the
 * baseline), both scored on the same held-out rows; the threshold is a percentile of the
 * training split's distances to their nearest centroid.
 */
export function trainModel(
  records: readonly TrainingRecord[],
  options: TrainOptions = defaultTrainOptions,
  onStep: (step: TrainStep, k: number) => void = () => {},
): TrainResult {
  const kValues = Array.from({ length: options.kMax - options.kMin + 1 }, (_, i) => options.kMin + i);
  checkTrainable({
    rows: records.length,
    distinctTrain: records.length,
    kMin: options.kMin,
    kMax: options.kMax,
  });
  const split = splitRows(records.length, options.heldOutFraction, options.seed);
  const trainRecords = split.train.map((i) => records[i]!);
  const heldOutRecords = split.heldOut.map((i) => records[i]!);
  const sampleRecords =
    heldOutRecords.length <= options.silhouetteSampleRows
      ? heldOutRecords
      : splitRows(
          heldOutRecords.length,
          options.silhouetteSampleRows / heldOutRecords.length,
          options.seed + 1,
        ).heldOut.map((i) => heldOutRecords[i]!);

  const preprocessing = buildPreprocessing(trainRecords, options.vocabulary);
  const trainSpaces = spaces(distinctRecords(trainRecords), preprocessing);
  checkTrainable({
    rows: records.length,
    distinctTrain: trainSpaces.oneHot.count,
    kMin: options.kMin,
    kMax: options.kMax,
  });
  const heldOutSpaces = spaces(distinctRecords(heldOutRecords), preprocessing);
  const sampleSpaces = spaces(distinctRecords(sampleRecords), preprocessing);
  const oneHotMatrix = distanceMatrix(sampleSpaces.oneHot);
  const rawMatrix = distanceMatrix(sampleSpaces.raw);
  const kmeansOptions: KMeansOptions = { ...options.kmeans, seed: options.seed };

  const oneHotData: SpaceData = {
    train: trainSpaces.oneHot,
    heldOut: heldOutSpaces.oneHot,
    silhouetteSample: sampleSpaces.oneHot,
  };
  const rawData: SpaceData = {
    train: trainSpaces.raw,
    heldOut: heldOutSpaces.raw,
    silhouetteSample: sampleSpaces.raw,
  };
  const model = selectK(oneHotData, kValues, kmeansOptions, {
    matrix: oneHotMatrix,
    onStep: (k) => onStep('k selection', k),
  });
  const baseline = selectK(rawData, kValues, kmeansOptions, {
    matrix: rawMatrix,
    onStep: (k) => onStep('baseline', k),
  });

  const fit = model.fits.get(model.chosenK)!;
  const baselineFit = baseline.fits.get(baseline.chosenK)!;
  const modelSampleLabels = assign(sampleSpaces.oneHot, fit.centroids, fit.k).labels;
  const baselineSampleLabels = assign(sampleSpaces.raw, baselineFit.centroids, baselineFit.k).labels;
  const weights = sampleSpaces.oneHot.weights;

  const trainDistances = assign(trainSpaces.oneHot, fit.centroids, fit.k).distances;
  const baselineDistances = assign(trainSpaces.raw, baselineFit.centroids, baselineFit.k).distances;
  // The rarity threshold comes from rows the counts have not seen: scored against their own
  // split, every training row's codes would count at least once and look commoner than live ones.
  const rarity = buildRarity(trainRecords);
  const heldOutRarity = rarityScores(heldOutRecords, rarity);
  const rarityThreshold = thresholdAt(
    heldOutRarity,
    new Float64Array(heldOutRarity.length).fill(1),
    options.thresholdPercentile,
  );
  return {
    preprocessing,
    fit,
    threshold: thresholdAt(trainDistances, trainSpaces.oneHot.weights, options.thresholdPercentile),
    rarity,
    rarityThreshold,
    expectedAnomalyRate:
      heldOutRarity.filter((score) => score > rarityThreshold).length / heldOutRarity.length,
    baselineFit,
    baselineThreshold: thresholdAt(baselineDistances, trainSpaces.raw.weights, options.thresholdPercentile),
    split: {
      rows: records.length,
      trainRows: trainRecords.length,
      heldOutRows: heldOutRecords.length,
      silhouetteRows: sampleRecords.length,
      distinctTrain: trainSpaces.oneHot.count,
    },
    selectionRule,
    model: {
      features: `one-hot of the top ${options.vocabulary.maxCodesPerColumn} codes per column (share >= ${options.vocabulary.minShare}) + other`,
      chosenK: model.chosenK,
      chosen: model.scores.find((score) => score.k === model.chosenK)!,
      silhouetteInOtherSpace: silhouette(rawMatrix, weights, modelSampleLabels, fit.k),
      byK: model.scores,
    },
    baseline: {
      features: 'raw integer codes (missing = -1), as the original system',
      chosenK: baseline.chosenK,
      chosen: baseline.scores.find((score) => score.k === baseline.chosenK)!,
      silhouetteInOtherSpace: silhouette(oneHotMatrix, weights, baselineSampleLabels, baselineFit.k),
      byK: baseline.scores,
    },
  };
}
