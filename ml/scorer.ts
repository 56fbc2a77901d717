import type { InferenceSession } from 'onnxruntime-node';
import { CdnfaasError } from '../lib/errors.ts';
import { featurizeBatch, type PartialFeatureRecord } from './features.ts';
import { loadModelBundle, type ModelBundle } from './model-bundle.ts';
import { raritySlotsBatch } from './rarity.ts';

export interface Score {
  /** Index of the nearest centroid, 0..k-1. */
  cluster: number;
  /** Euclidean distance to that centroid, in feature space. */
  distance: number;
  /** How rare the record's codes are (rarity.ts): the sum of their surprisals. */
  rarity: number;
  /** rarity > the model's rarity threshold. */
  anomaly: boolean;
}

export interface Scorer {
  bundle: ModelBundle;
  /** Scores a batch of records in one inference call; results[i] answers rows[i]. */
  score(rows: readonly PartialFeatureRecord[]): Promise<Score[]>;
  close(): Promise<void>;
}

export interface ScorerOptions {
  /** Threads of the ONNX session. One by default: replicas are processes that share the cores. */
  threads?: number;
}

/**
 * Loads a model directory into an ONNX Runtime session, once; `score` then featurizes a
 * batch into one [N, D] tensor. onnxruntime-node is imported here, on first use, so code
 * that only reads bundles or featurizes does not load the native runtime.
 */
export async function createScorer(
  dirOrBundle: string | ModelBundle,
  options: ScorerOptions = {},
): Promise<Scorer> {
  const bundle = typeof dirOrBundle === 'string' ? await loadModelBundle(dirOrBundle) : dirOrBundle;
  const ort = await import('onnxruntime-node');
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(bundle.modelPath, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    throw new CdnfaasError('INVALID_INPUT', `ONNX model ${bundle.modelPath} cannot be loaded`, {
      hint: 'retrain the model: npx cdnfaas train --data <csv> --out <dir>',
      cause,
    });
  }
  const { metadata, preprocessing } = bundle;
  const dimension = preprocessing.dimension;
  const columns = bundle.rarity.columns.length;

  async function score(rows: readonly PartialFeatureRecord[]): Promise<Score[]> {
    if (rows.length === 0) return [];
    const input = new ort.Tensor('float32', featurizeBatch(rows, preprocessing), [rows.length, dimension]);
    const slots = new ort.Tensor('int64', raritySlotsBatch(rows, bundle.rarity), [rows.length, columns]);
    const output = await session.run({ [metadata.inputName]: input, [metadata.rarityInputName]: slots });
    const labels = output[metadata.outputNames.label]?.data as BigInt64Array | undefined;
    const distances = output[metadata.outputNames.distance]?.data as Float32Array | undefined;
    const rarities = output[metadata.outputNames.rarity]?.data as Float32Array | undefined;
    if (labels === undefined || distances === undefined || rarities === undefined) {
      throw new CdnfaasError(
        'INTERNAL',
        `ONNX model ${bundle.modelPath} did not produce its declared outputs`,
      );
    }
    const scores: Score[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const rarity = rarities[i]!;
      scores[i] = {
        cluster: Number(labels[i]!),
        distance: distances[i]!,
        rarity,
        anomaly: rarity > metadata.rarityThreshold,
      };
    }
    return scores;
  }

  return {
    bundle,
    score,
    close: () => session.release(),
  };
}
