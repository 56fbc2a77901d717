import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CdnfaasError } from '../lib/errors.ts';
import type { Preprocessing } from './features.ts';
import type { KMeansFit } from './kmeans.ts';
import type { Metrics } from './metrics.ts';
import { modelFiles, type ModelMetadata } from './model-bundle.ts';
import { renderModelCard } from './model-card.ts';
import { buildKMeansGraph, encodeModel } from './onnx-graph.ts';
import { surprisalTable, type Rarity } from './rarity.ts';

export const graphNames = {
  input: 'features',
  rarityInput: 'rarity_slots',
  label: 'label',
  distance: 'distance',
  rarity: 'rarity',
} as const;

/** A version that names the model's content: the same training gives the same version. */
export function contentVersion(
  preprocessing: Preprocessing,
  fit: KMeansFit,
  threshold: number,
  rarity?: { rarity: Rarity; threshold: number },
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(preprocessing));
  hash.update(new Uint8Array(Float32Array.from(fit.centroids).buffer));
  hash.update(String(threshold));
  if (rarity !== undefined) hash.update(`${JSON.stringify(rarity.rarity)}\0${rarity.threshold}`);
  return hash.digest('hex').slice(0, 10);
}

export function buildMetadata(input: {
  name: string;
  version: string;
  fit: KMeansFit;
  threshold: number;
  thresholdPercentile: number;
  rarityThreshold: number;
  expectedAnomalyRate: number;
  preprocessing: Preprocessing;
  trainingRows: number;
  trainedAt: Date;
}): ModelMetadata {
  return {
    format: 'cdnfaas.model/v2',
    name: input.name,
    version: input.version,
    k: input.fit.k,
    threshold: input.threshold,
    thresholdPercentile: input.thresholdPercentile,
    rarityThreshold: input.rarityThreshold,
    expectedAnomalyRate: input.expectedAnomalyRate,
    featureDimension: input.preprocessing.dimension,
    inputName: graphNames.input,
    rarityInputName: graphNames.rarityInput,
    outputNames: { label: graphNames.label, distance: graphNames.distance, rarity: graphNames.rarity },
    trainedAt: input.trainedAt.toISOString(),
    trainingRows: input.trainingRows,
  };
}

export function modelBytes(fit: KMeansFit, rarity: Rarity, metadata: ModelMetadata): Uint8Array {
  return encodeModel(
    buildKMeansGraph({
      centroids: fit.centroids,
      k: fit.k,
      dimension: fit.dimension,
      inputName: metadata.inputName,
      labelName: metadata.outputNames.label,
      distanceName: metadata.outputNames.distance,
      rarity: {
        table: surprisalTable(rarity),
        columns: rarity.columns.length,
        inputName: metadata.rarityInputName,
        outputName: metadata.outputNames.rarity,
      },
      metadata: {
        name: metadata.name,
        version: metadata.version,
        threshold: String(metadata.threshold),
        rarityThreshold: String(metadata.rarityThreshold),
      },
    }),
  );
}

/** Writes every file of a model directory (see model-bundle.ts). */
export async function writeModelBundle(
  dir: string,
  bundle: {
    fit: KMeansFit;
    preprocessing: Preprocessing;
    rarity: Rarity;
    metadata: ModelMetadata;
    metrics: Metrics;
  },
): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, modelFiles.model), modelBytes(bundle.fit, bundle.rarity, bundle.metadata));
    await writeFile(join(dir, modelFiles.rarity), `${JSON.stringify(bundle.rarity)}\n`);
    await writeFile(
      join(dir, modelFiles.preprocessing),
      `${JSON.stringify(bundle.preprocessing, null, 2)}\n`,
    );
    await writeFile(join(dir, modelFiles.metadata), `${JSON.stringify(bundle.metadata, null, 2)}\n`);
    await writeFile(join(dir, modelFiles.metrics), `${JSON.stringify(bundle.metrics, null, 2)}\n`);
    await writeFile(join(dir, modelFiles.card), renderModelCard(bundle.metadata, bundle.metrics));
  } catch (cause) {
    throw new CdnfaasError('INVALID_INPUT', `cannot write the model to ${dir}: ${(cause as Error).message}`, {
      hint: 'choose a writable --out directory',
      cause,
    });
  }
}

/**
 * Copies a model directory's files into another (e.g. the predict function's model/ folder),
 * all or nothing: the files go to a sibling folder first, which then replaces the target by
 * rename, so a failure leaves the installed model as it was and a build never sees half of one.
 */
export async function installModel(from: string, to: string): Promise<void> {
  const staging = `${to}.installing-${process.pid}`;
  const previous = `${to}.previous-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await mkdir(staging, { recursive: true });
    for (const file of Object.values(modelFiles)) await cp(join(from, file), join(staging, file));
  } catch (cause) {
    await rm(staging, { recursive: true, force: true });
    throw new CdnfaasError(
      'INVALID_INPUT',
      `cannot install the model from ${from}: ${(cause as Error).message}`,
      {
        hint: 'the installed model is unchanged; check that the model directory is complete and the target writable',
        cause,
      },
    );
  }
  const hadModel = existsSync(to);
  if (hadModel) await rename(to, previous);
  await rename(staging, to);
  if (hadModel) await rm(previous, { recursive: true, force: true });
}
