import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStart, generateRows } from '../simulator/generator/generate.ts';
import { parseStart } from '../simulator/generator/timeline.ts';
import { readTrainingCsv, type TrainingRecord } from './dataset.ts';
import { trainedModel } from './compare-approaches.ts';
import { scoreRecords } from './evaluate.ts';
import { buildMetadata, writeModelBundle } from './export.ts';
import { buildMetrics } from './metrics.ts';
import { loadModelBundle } from './model-bundle.ts';
import { createScorer } from './scorer.ts';
import { defaultTrainOptions, trainModel, type TrainOptions } from './train.ts';

/**
 * The exported ONNX model, run by onnxruntime-node as predict runs it, must label records as
 * the trainer does (float32 inference against the trainer's float64 assignment).
 */
async function trainExportScore(records: TrainingRecord[], options: TrainOptions) {
  const result = trainModel(records, options);
  const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-model-'));
  const metadata = buildMetadata({
    name: 'cdn-kmeans',
    version: 'test',
    fit: result.fit,
    threshold: result.threshold,
    thresholdPercentile: options.thresholdPercentile,
    rarityThreshold: result.rarityThreshold,
    expectedAnomalyRate: result.expectedAnomalyRate,
    preprocessing: result.preprocessing,
    trainingRows: result.split.trainRows,
    trainedAt: new Date(),
  });
  const metrics = buildMetrics({
    name: 'cdn-kmeans',
    version: 'test',
    dataFile: 'memory',
    result,
    options,
    anomalyEvaluation: null,
    timing: { readSeconds: 0, trainSeconds: 0, totalSeconds: 0 },
  });
  await writeModelBundle(dir, {
    fit: result.fit,
    preprocessing: result.preprocessing,
    rarity: result.rarity,
    metadata,
    metrics,
  });
  const trainer = scoreRecords(records, trainedModel(result));
  const scorer = await createScorer(dir);
  const onnx = (
    await Promise.all(
      Array.from({ length: Math.ceil(records.length / 4096) }, (_, i) =>
        scorer.score(records.slice(i * 4096, (i + 1) * 4096)),
      ),
    )
  ).flat();
  await scorer.close();
  const share = (same: (i: number) => boolean) => records.filter((_, i) => same(i)).length / records.length;
  return {
    dir,
    k: result.fit.k,
    labelAgreement: share((i) => onnx[i]!.cluster === trainer[i]!.cluster),
    tagAgreement: share((i) => onnx[i]!.anomaly === trainer[i]!.anomaly),
    maxDistanceError: Math.max(...trainer.map((score, i) => Math.abs(score.distance - onnx[i]!.distance))),
    maxRarityError: Math.max(...trainer.map((score, i) => Math.abs(score.rarity - onnx[i]!.rarity))),
  };
}

function generatedRecords(rows: number, seed: number): TrainingRecord[] {
  return [...generateRows({ rows, seed, anomalyFraction: 0.01, startMs: parseStart(defaultStart) })].map(
    ({ row }) => ({
      ...row,
      content_id: row.content_id ?? -1,
      user_id: row.user_id ?? -1,
    }),
  );
}

const fast: TrainOptions = {
  ...defaultTrainOptions,
  kMin: 2,
  kMax: 8,
  kmeans: { restarts: 3, maxIterations: 300 },
};

describe('ONNX export agrees with the trainer', () => {
  it('on generated data: >= 99.9% of labels and tags, distances within 1e-4', async () => {
    const outcome = await trainExportScore(generatedRecords(12_000, 21), fast);
    expect(outcome.labelAgreement).toBeGreaterThanOrEqual(0.999);
    expect(outcome.tagAgreement).toBeGreaterThanOrEqual(0.999);
    expect(outcome.maxDistanceError).toBeLessThan(1e-4);
    expect(outcome.maxRarityError).toBeLessThan(1e-3);
    const bundle = await loadModelBundle(outcome.dir);
    expect(bundle.metadata).toMatchObject({
      name: 'cdn-kmeans',
      version: 'test',
      k: outcome.k,
      inputName: 'features',
    });
  }, 30_000);

  const published = join(import.meta.dirname, '../../shared/data/train_cdn.csv');
  it.skipIf(!existsSync(published))(
    'on the published training data',
    async () => {
      const outcome = await trainExportScore(await readTrainingCsv(published), fast);
      expect(outcome.labelAgreement).toBeGreaterThanOrEqual(0.999);
      expect(outcome.tagAgreement).toBeGreaterThanOrEqual(0.999);
    },
    30_000,
  );
});
