import { join } from 'node:path';
import { compareApproaches, trainedModel, type Comparison } from './compare-approaches.ts';
import type { TrainingRecord } from './dataset.ts';
import { scoreRecords, type TrainedModel } from './evaluate.ts';
import { buildMetadata, contentVersion, writeModelBundle } from './export.ts';
import { buildMetrics, type Metrics } from './metrics.ts';
import type { ModelMetadata } from './model-bundle.ts';
import { onnxParity } from './parity.ts';
import { splitRows, trainModel, type TrainOptions, type TrainResult } from './train.ts';

/**
 * One training, start to finish: train, write the model directory, benchmark the anomaly
 * approaches on altered held-out rows (the test file when given, else the held-out split), check
 * the exported graph against the trainer on them, and write the figures into metrics.json and
 * the model card. `cdnfaas train` and `cdnfaas models evaluate` both run it.
 */
export interface TrainingRunInput {
  records: TrainingRecord[];
  dataFile: string;
  /** Unlabelled held-out rows for the benchmark; the training file's held-out split when absent. */
  test?: { records: TrainingRecord[]; name: string };
  name: string;
  version?: string;
  /** Model directory; <modelsRoot>/<version> when absent. */
  out?: string;
  /** Where a model directory named by its version goes (default `models`, under the working directory). */
  modelsRoot?: string;
  options: TrainOptions;
  /** The labelled evaluation of generated data, when asked for. */
  anomalyEvaluation?: (model: TrainedModel) => Promise<Metrics['anomalyEvaluation']>;
  /** Called after each step: k fits (2 per k), then the benchmark's 4 steps and the parity check. */
  onStep?: (done: number, total: number) => void;
  readSeconds?: number;
}

export interface TrainingRun {
  out: string;
  result: TrainResult;
  metadata: ModelMetadata;
  metrics: Metrics;
  comparison: Comparison;
  onnxParity: number;
}

export async function runTraining(input: TrainingRunInput): Promise<TrainingRun> {
  const { options } = input;
  const kCount = options.kMax - options.kMin + 1;
  const total = 2 * kCount + 5;
  let done = 0;
  const step = () => input.onStep?.(++done, total);
  const started = performance.now();
  const result = trainModel(input.records, options, step);
  const trained = performance.now();

  const version =
    input.version ??
    contentVersion(result.preprocessing, result.fit, result.threshold, {
      rarity: result.rarity,
      threshold: result.rarityThreshold,
    });
  const out = input.out ?? join(input.modelsRoot ?? 'models', version);
  const test = input.test ?? {
    records: splitRows(input.records.length, options.heldOutFraction, options.seed).heldOut.map(
      (i) => input.records[i]!,
    ),
    name: `the held-out split of ${input.dataFile}`,
  };
  const benchmark = compareApproaches({
    result,
    training: input.records,
    test: test.records,
    testName: test.name,
    onStep: step,
  });
  const model = trainedModel(result);
  const metadata = buildMetadata({
    name: input.name,
    version,
    fit: result.fit,
    threshold: result.threshold,
    thresholdPercentile: options.thresholdPercentile,
    rarityThreshold: result.rarityThreshold,
    expectedAnomalyRate: result.expectedAnomalyRate,
    preprocessing: result.preprocessing,
    trainingRows: result.split.trainRows,
    trainedAt: new Date(),
  });
  const anomalyEvaluation = (await input.anomalyEvaluation?.(model)) ?? null;
  const metricsWith = (onnx: number | null) =>
    buildMetrics({
      name: input.name,
      version,
      dataFile: input.dataFile,
      result,
      options,
      anomalyEvaluation,
      comparison: benchmark.comparison,
      onnxParity: onnx,
      timing: {
        readSeconds: input.readSeconds ?? 0,
        trainSeconds: (trained - started) / 1000,
        totalSeconds: (input.readSeconds ?? 0) + (performance.now() - started) / 1000,
      },
    });
  const files = { fit: result.fit, preprocessing: result.preprocessing, rarity: result.rarity, metadata };
  // The graph must exist before its parity can be measured; the card is then written again with it.
  await writeModelBundle(out, { ...files, metrics: metricsWith(null) });
  const parity = await onnxParity(out, benchmark.records, scoreRecords(benchmark.records, model));
  step();
  const metrics = metricsWith(parity);
  await writeModelBundle(out, { ...files, metrics });
  return { out, result, metadata, metrics, comparison: benchmark.comparison, onnxParity: parity };
}
