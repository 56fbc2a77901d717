import type { PartialFeatureRecord } from './features.ts';
import {
  alterSample,
  defaultAlteration,
  replacementPools,
  tagQuality,
  type AlterationOptions,
  type TagQuality,
} from './alteration.ts';
import { scoreRecords, type TrainedModel } from './evaluate.ts';
import { assign } from './kmeans.ts';
import { distinctRecords, rawCodePoints } from './points.ts';
import { hammingMatrix, silhouette } from './scores.ts';
import { splitRows, type TrainResult } from './train.ts';

/**
 * The three ways of tagging anomalies measured side by side on the same held-out benchmark
 * (alteration.ts): the original system's k-means on raw codes with a distance threshold,
 * k-means on one-hot codes with a distance threshold, and the rarity score (what predict tags
 * by). Clusters are scored by the Hamming silhouette of held-out rows, which needs no encoding.
 */

export const approachNames = {
  original: 'k-means on raw codes, distance threshold (original system)',
  oneHot: 'k-means on one-hot codes, distance threshold',
  rarity: 'rarity score (sum of -ln p per code), one-hot k-means clusters (this model)',
} as const;

export type ApproachKey = keyof typeof approachNames;

export interface ApproachEvaluation {
  approach: ApproachKey;
  description: string;
  /** Hamming silhouette of the approach's clusters over the held-out sample. */
  silhouette: number;
  /** Tag quality by number of codes altered ("1", "2", "3"). */
  byCodesAltered: Record<string, TagQuality>;
}

export interface Comparison {
  /** What the benchmark was drawn from, e.g. the test file's path or "held-out split". */
  test: string;
  testRows: number;
  silhouetteRows: number;
  normalRows: number;
  alteredRows: number;
  maxTrainingCount: number;
  seed: number;
  approaches: ApproachEvaluation[];
}

export interface CompareInput {
  result: TrainResult;
  /** The whole training file: "rare" means rare in it. */
  training: readonly PartialFeatureRecord[];
  test: readonly PartialFeatureRecord[];
  testName: string;
  alteration?: Omit<AlterationOptions, 'codesAltered'>;
  /** Held-out rows whose Hamming silhouette is computed (its cost grows with their distinct rows squared). */
  silhouetteRows?: number;
  codesAltered?: readonly number[];
  onStep?: (step: string) => void;
}

export function trainedModel(result: TrainResult): TrainedModel {
  return {
    preprocessing: result.preprocessing,
    centroids: result.fit.centroids,
    k: result.fit.k,
    threshold: result.threshold,
    rarity: result.rarity,
    rarityThreshold: result.rarityThreshold,
  };
}

/** Tags of all three approaches for a batch of records. */
function flagsOf(
  records: readonly PartialFeatureRecord[],
  result: TrainResult,
): Record<ApproachKey, boolean[]> {
  const scores = scoreRecords(records, trainedModel(result));
  const raw = rawCodePoints({
    records: [...records],
    weights: new Float64Array(records.length).fill(1),
    indexOf: new Int32Array(0),
  });
  const baseline = assign(raw, result.baselineFit.centroids, result.baselineFit.k);
  return {
    original: Array.from(baseline.distances, (distance) => distance > result.baselineThreshold),
    oneHot: scores.map((score) => score.distance > result.threshold),
    rarity: scores.map((score) => score.anomaly),
  };
}

/** Hamming silhouette of each approach's clusters over a seeded sample of the test rows. */
function silhouettes(
  test: readonly PartialFeatureRecord[],
  result: TrainResult,
  rows: number,
  seed: number,
): { sampleRows: number; byApproach: Record<ApproachKey, number> } {
  const sample =
    test.length <= rows
      ? [...test]
      : splitRows(test.length, rows / test.length, seed).heldOut.map((i) => test[i]!);
  const distinct = distinctRecords(sample);
  const raw = rawCodePoints(distinct);
  const matrix = hammingMatrix(raw);
  const oneHotLabels = Int32Array.from(
    scoreRecords(distinct.records, trainedModel(result)),
    (score) => score.cluster,
  );
  const rawLabels = assign(raw, result.baselineFit.centroids, result.baselineFit.k).labels;
  const oneHot = silhouette(matrix, distinct.weights, oneHotLabels, result.fit.k);
  return {
    sampleRows: sample.length,
    byApproach: {
      original: silhouette(matrix, distinct.weights, rawLabels, result.baselineFit.k),
      oneHot,
      rarity: oneHot,
    },
  };
}

/**
 * Every approach on the benchmark with 1, 2 and 3 codes altered, and the benchmark's rows (for
 * the ONNX parity check). Pure (and seeded).
 */
export function compareApproaches(input: CompareInput): {
  comparison: Comparison;
  records: PartialFeatureRecord[];
} {
  const benchmark: PartialFeatureRecord[] = [];
  const alteration = input.alteration ?? defaultAlteration;
  const pools = replacementPools(input.training, alteration.maxTrainingCount);
  const byCodes: Record<ApproachKey, Record<string, TagQuality>> = { original: {}, oneHot: {}, rarity: {} };
  let normalRows = 0;
  let alteredRows = 0;
  for (const codesAltered of input.codesAltered ?? [1, 2, 3]) {
    const sample = alterSample(input.test, pools, { ...alteration, codesAltered });
    normalRows = sample.anomalous.filter((anomalous) => !anomalous).length;
    alteredRows = sample.records.length - normalRows;
    benchmark.push(...sample.records);
    const flags = flagsOf(sample.records, input.result);
    for (const approach of Object.keys(byCodes) as ApproachKey[]) {
      byCodes[approach][String(codesAltered)] = tagQuality(flags[approach], sample.anomalous);
    }
    input.onStep?.(`${codesAltered} codes altered`);
  }
  const { sampleRows, byApproach } = silhouettes(
    input.test,
    input.result,
    input.silhouetteRows ?? 5000,
    alteration.seed,
  );
  input.onStep?.('silhouette');
  const comparison: Comparison = {
    test: input.testName,
    testRows: input.test.length,
    silhouetteRows: sampleRows,
    normalRows,
    alteredRows,
    maxTrainingCount: alteration.maxTrainingCount,
    seed: alteration.seed,
    approaches: (Object.keys(approachNames) as ApproachKey[]).map((approach) => ({
      approach,
      description: approachNames[approach],
      silhouette: byApproach[approach],
      byCodesAltered: byCodes[approach],
    })),
  };
  return { comparison, records: benchmark };
}

const fixed = (value: number) => value.toFixed(3);

/** The comparison as a Markdown table (model card and `cdnfaas models evaluate`). */
export function renderComparison(comparison: Comparison, parity?: number): string {
  const levels = Object.keys(comparison.approaches[0]?.byCodesAltered ?? {}).sort();
  const header = `| approach | Hamming silhouette | ${levels.map((n) => `${n} code${n === '1' ? '' : 's'} altered: precision / recall`).join(' | ')} |`;
  const rule = `| --- | --- | ${levels.map(() => '---').join(' | ')} |`;
  const rows = comparison.approaches.map(
    (entry) =>
      `| ${entry.description} | ${fixed(entry.silhouette)} | ${levels
        .map(
          (n) => `${fixed(entry.byCodesAltered[n]!.precision)} / ${fixed(entry.byCodesAltered[n]!.recall)}`,
        )
        .join(' | ')} |`,
  );
  const notes = [
    `Benchmark: ${comparison.test} (${comparison.testRows} rows), ${comparison.normalRows} rows as they are plus ${comparison.alteredRows} copies of other rows with 1, 2 or 3 of the 7 codes replaced by codes the training file has at most ${comparison.maxTrainingCount} times or never (seed ${comparison.seed}); silhouette over ${comparison.silhouetteRows} of its rows.`,
  ];
  if (parity !== undefined)
    notes.push(
      `ONNX parity (cluster and tag of the exported graph in onnxruntime against the trainer, on the benchmark rows): ${(parity * 100).toFixed(2)} %.`,
    );
  return [header, rule, ...rows, '', ...notes].join('\n');
}
