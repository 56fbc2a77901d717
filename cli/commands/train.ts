import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CdnfaasError } from '../../lib/errors.ts';
import { createProgress } from '../../lib/progress.ts';
import { readAnomalyLabels, readTrainingCsv } from '../../ml/dataset.ts';
import { evaluateAnomalyTags, scoreRecords } from '../../ml/evaluate.ts';
import { installModel } from '../../ml/export.ts';
import { renderReport, type Metrics } from '../../ml/metrics.ts';
import { defaultTrainOptions, type TrainOptions } from '../../ml/train.ts';
import { runTraining } from '../../ml/training-run.ts';
import { faasCliUpCommand, modelImages } from '../../runtime/build/index.ts';
import { labelsPathFor } from '../../simulator/generator/write.ts';
import { projectRoot } from '../../system/config.ts';

/** Where `--install` puts the model: the predict function bundles this folder into its image. */
export const predictModelDir = 'functions/predict/model';

function integer(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    }
    return number;
  };
}

function percentile(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 50 || number >= 100)
    throw new InvalidArgumentError(`expected a percentile above 50 and below 100, got "${value}"`);
  return number;
}

interface TrainCommandOptions {
  data: string;
  out?: string;
  name: string;
  version?: string;
  kMin: number;
  kMax: number;
  seed: number;
  thresholdPercentile: number;
  evalData?: string;
  evalLabels?: string;
  testData?: string;
  install?: string | boolean;
  report?: boolean;
}

async function evaluate(
  options: TrainCommandOptions,
  model: Parameters<typeof scoreRecords>[1],
): Promise<Metrics['anomalyEvaluation']> {
  if (options.evalData === undefined) return null;
  const labelsFile = options.evalLabels ?? labelsPathFor(options.evalData);
  if (!existsSync(labelsFile)) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `no labels for ${options.evalData}: ${labelsFile} does not exist`,
      {
        hint: 'evaluate on data from `npx cdnfaas generate-data`, which writes <file>.labels.csv, or pass --eval-labels',
      },
    );
  }
  const [records, labels] = await Promise.all([
    readTrainingCsv(options.evalData),
    readAnomalyLabels(labelsFile),
  ]);
  const flags = scoreRecords(records, model).map((score) => score.anomaly);
  return { data: options.evalData, labels: labelsFile, ...evaluateAnomalyTags(flags, labels) };
}

async function runTrain(options: TrainCommandOptions): Promise<void> {
  if (options.kMin > options.kMax)
    throw new CdnfaasError('INVALID_INPUT', `--k-min ${options.kMin} is above --k-max ${options.kMax}`);
  const started = performance.now();
  const records = await readTrainingCsv(options.data);
  const test =
    options.testData === undefined
      ? undefined
      : { records: await readTrainingCsv(options.testData), name: options.testData };
  const trainOptions: TrainOptions = {
    ...defaultTrainOptions,
    kMin: options.kMin,
    kMax: options.kMax,
    seed: options.seed,
    thresholdPercentile: options.thresholdPercentile,
  };
  const progress = createProgress('train', 1);
  const run = await runTraining({
    records,
    dataFile: options.data,
    test,
    name: options.name,
    version: options.version,
    out: options.out,
    options: trainOptions,
    anomalyEvaluation: (model) => evaluate(options, model),
    onStep: (done, total) => progress.update(done, total),
    readSeconds: (performance.now() - started) / 1000,
  });
  progress.stop();
  const { metadata, out } = run;
  console.log(
    `model ${metadata.name}@${metadata.version} (k = ${metadata.k}, rarity threshold ${metadata.rarityThreshold.toFixed(4)}) written to ${out}`,
  );
  if (options.install !== undefined && options.install !== false) {
    const target = options.install === true ? predictModelDir : options.install;
    if (resolve(target) !== resolve(out)) await installModel(out, target);
    console.log(`installed into ${target}`);
    if (resolve(target) === resolve(projectRoot, predictModelDir)) printShipping();
  }
  if (options.report === true) console.log(`\n${renderReport(run.metrics)}`);
}

/**
 * How to ship the installed model: the predict image it becomes (its tag names the model's files,
 * so it never collides with an earlier build) and the commands that build and deploy it.
 */
function printShipping(): void {
  const stackFile = join(projectRoot, 'stack.yml');
  const [image] = modelImages(stackFile, {});
  if (image === undefined) return;
  console.log(`predict image: ${image.ref} (${image.installed.model})
ship it:  npx cdnfaas build --filter predict   (npm run up builds and deploys it)
or with faas-cli (docker shim on PATH, see README):
  ${faasCliUpCommand(image.function, image.tag, image.installed.model)}`);
}

export function register(program: Command): void {
  program
    .command('train')
    .description(
      'train the clustering model on a CDN CSV and export it to ONNX with its preprocessing, metrics and model card',
    )
    .requiredOption(
      '--data <csv>',
      'training CSV (header as the published data, e.g. from `cdnfaas generate-data`)',
    )
    .option('--out <dir>', 'model directory (default models/<version>)')
    .option('--name <name>', 'model name, the first part of pipeline_type', 'cdn-kmeans')
    .option('--version <version>', 'model version (default: a hash of the model content)')
    .option('--k-min <k>', 'smallest k tried', integer(2, 100), defaultTrainOptions.kMin)
    .option('--k-max <k>', 'largest k tried', integer(2, 100), defaultTrainOptions.kMax)
    .option(
      '--seed <n>',
      'seed of the split and of k-means',
      integer(0, 0xffffffff),
      defaultTrainOptions.seed,
    )
    .option(
      '--threshold-percentile <p>',
      'percentile of the held-out rarity scores above which a record is an anomaly (also of the reported distance threshold)',
      percentile,
      defaultTrainOptions.thresholdPercentile,
    )
    .option(
      '--eval-data <csv>',
      "labelled CSV (from generate-data) to measure the anomaly tag's precision and recall on",
    )
    .option('--eval-labels <csv>', 'labels of --eval-data (default <eval-data>.labels.csv)')
    .option(
      '--test-data <csv>',
      'held-out CSV for the anomaly benchmark in the model card (default: the held-out split of --data)',
    )
    .option('--install [dir]', `also copy the model into the predict function (default ${predictModelDir})`)
    .option('--report', 'print the metrics report')
    .action(runTrain);
}
