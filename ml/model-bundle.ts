import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CdnfaasError } from '../lib/errors.ts';
import { preprocessingSchema, type Preprocessing } from './features.ts';
import { raritySchema, type Rarity } from './rarity.ts';

/**
 * A model directory: everything predict needs to score records, written by `cdnfaas train`
 * and copied into the predict image (so a model rollback is an image rollback).
 */
export const modelFiles = {
  /**
   * ONNX graph: features float32 [N, D] -> label int64 [N], distance float32 [N]; rarity slots
   * int64 [N, 7] -> rarity float32 [N].
   */
  model: 'model.onnx',
  /** How records become feature rows (see features.ts). */
  preprocessing: 'preprocessing.json',
  /** Every column's training distribution: the rarity score's table and drift's reference (rarity.ts). */
  rarity: 'rarity.json',
  /** Name, version, k, anomaly threshold, graph input/output names. */
  metadata: 'metadata.json',
  /** Training report: k selection scores, baseline, anomaly precision/recall when labelled. */
  metrics: 'metrics.json',
  /** Short human description. */
  card: 'MODEL_CARD.md',
} as const;

export const modelMetadataSchema = z
  .object({
    format: z.literal('cdnfaas.model/v2'),
    /** Model family, e.g. `cdn-kmeans`. `pipeline_type` of a prediction is `name@version`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
    /** Number of clusters; labels are 0..k-1. */
    k: z.number().int().min(1),
    /** The distance to the nearest centroid at the training-distance percentile below (reported, not the tag). */
    threshold: z.number().nonnegative(),
    /** The percentile both thresholds were taken at, e.g. 99. */
    thresholdPercentile: z.number().min(0).max(100),
    /**
     * A record whose rarity score (rarity.ts) is above this is tagged `anomaly`: the score's
     * percentile on the held-out split, scored against the training split's distribution.
     */
    rarityThreshold: z.number().nonnegative(),
    /** Share of the held-out split tagged anomaly: the rate live traffic like the training data should show. */
    expectedAnomalyRate: z.number().min(0).max(1),
    featureDimension: z.number().int().min(1),
    inputName: z.string().min(1),
    /** The graph input of rarity slots, int64 [N, columns]. */
    rarityInputName: z.string().min(1),
    outputNames: z
      .object({ label: z.string().min(1), distance: z.string().min(1), rarity: z.string().min(1) })
      .strict(),
    trainedAt: z.iso.datetime(),
    trainingRows: z.number().int().min(1),
  })
  .strict();

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;

export interface ModelBundle {
  dir: string;
  modelPath: string;
  preprocessing: Preprocessing;
  rarity: Rarity;
  metadata: ModelMetadata;
}

/** The `pipeline_type` a prediction made by this model carries. */
export function pipelineType(metadata: Pick<ModelMetadata, 'name' | 'version'>): string {
  return `${metadata.name}@${metadata.version}`;
}

async function readJsonFile<T>(dir: string, file: string, schema: z.ZodType<T>): Promise<T> {
  const path = join(dir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CdnfaasError('NOT_FOUND', `model file ${path} cannot be read`, {
      hint: 'train a model first: npx cdnfaas train --data <csv> --out <dir>',
      context: { path },
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CdnfaasError('INVALID_INPUT', `model file ${path} is not valid JSON`, {
      context: { path },
      cause,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new CdnfaasError('INVALID_INPUT', `model file ${path} is malformed: ${issues}`, {
      hint: 'retrain the model with this version of cdnfaas',
      context: { path },
    });
  }
  return parsed.data;
}

/** Reads and validates a model directory (without loading the ONNX runtime). */
export async function loadModelBundle(dir: string): Promise<ModelBundle> {
  const preprocessing = await readJsonFile(dir, modelFiles.preprocessing, preprocessingSchema);
  const metadata = await readJsonFile(dir, modelFiles.metadata, modelMetadataSchema);
  const rarity = await readJsonFile(dir, modelFiles.rarity, raritySchema);
  if (metadata.featureDimension !== preprocessing.dimension) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `model in ${dir} expects ${metadata.featureDimension} features but its preprocessing makes ${preprocessing.dimension}`,
      { hint: 'the files come from different trainings: retrain into an empty directory' },
    );
  }
  const modelPath = join(dir, modelFiles.model);
  try {
    await access(modelPath);
  } catch (cause) {
    throw new CdnfaasError('NOT_FOUND', `model file ${modelPath} does not exist`, {
      hint: 'train a model first: npx cdnfaas train --data <csv> --out <dir>',
      cause,
    });
  }
  return { dir, modelPath, preprocessing, rarity, metadata };
}
