// The first run's sample data and model: generated and trained once, then reused.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CdnfaasError, isCdnfaasError } from '../../../lib/errors.ts';
import { createProgress } from '../../../lib/progress.ts';
import { readTrainingCsv } from '../../../ml/dataset.ts';
import { installModel } from '../../../ml/export.ts';
import { modelFiles } from '../../../ml/model-bundle.ts';
import { readInstalledModel } from '../../../ml/model-digest.ts';
import { raritySchema } from '../../../ml/rarity.ts';
import { defaultTrainOptions } from '../../../ml/train.ts';
import { runTraining } from '../../../ml/training-run.ts';
import { projectRoot, type SystemConfig } from '../../../system/config.ts';

/** The predict function bundles this folder into its image, so a model rollback is an image rollback. */
export const predictModelDir = join(projectRoot, 'functions', 'predict', 'model');

/**
 * A model for runs that need one when none is installed (benchmarks, chaos): 20,000 generated
 * rows, seed 7, trained into `work`/model by the CLI. Returns the model folder.
 */
export async function trainSmallModel(work: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const csv = join(work, 'train.csv');
  const dir = join(work, 'model');
  const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');
  const options = { cwd: projectRoot, env, timeout: 300_000 };
  const run = promisify(execFile);
  await run(
    process.execPath,
    [cli, 'generate-data', '--rows', '20000', '--seed', '7', '--out', csv],
    options,
  );
  await run(process.execPath, [cli, 'train', '--data', csv, '--out', dir, '--seed', '7'], options);
  return dir;
}

export function sampleDataFile(config: SystemConfig): string {
  return join(config.home, 'sample', 'cdn_sample.csv');
}

function runCli(args: string[], what: string): void {
  const result = spawnSync(process.execPath, [join(projectRoot, 'bin', 'cdnfaas.mjs'), ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new CdnfaasError(
      'INTERNAL',
      `${what} failed (npx cdnfaas ${args.join(' ')} exited ${result.status})`,
      {
        hint: 'read its output above, fix the cause and run the command again',
      },
    );
  }
}

/** Writes the sample data with the generator unless it is there; returns its path. */
export function ensureSampleData(config: SystemConfig, rows: number, log: (line: string) => void): string {
  const sample = sampleDataFile(config);
  if (existsSync(sample)) log(`  using ${sample}`);
  else
    runCli(
      ['generate-data', '--rows', String(rows), '--seed', '1', '--out', sample],
      'generating sample data',
    );
  return sample;
}

/** What is in predict's model folder, as far as `up` is concerned. */
export type InstalledState =
  | { state: 'missing' }
  | { state: 'unusable'; reason: string }
  | { state: 'usable'; model: string; trainedOn: string | undefined };

export interface ModelDecision {
  train: boolean;
  /** The CSV to train on when `train`. */
  data: string;
  reason: string;
}

/**
 * Whether `up` trains, and on what. Pure. A usable model is kept, unless the user names a
 * training file (`--data`) that is not the one it was trained on; a missing model, or one this
 * version of cdnfaas cannot load (an older format), is trained on that file, else on the sample.
 */
export function decideModel(
  installed: InstalledState,
  sample: string,
  userData: string | undefined,
): ModelDecision {
  const data = userData ?? sample;
  if (installed.state === 'missing') return { train: true, data, reason: 'no model installed' };
  if (installed.state === 'unusable')
    return { train: true, data, reason: `the installed model cannot be used (${installed.reason})` };
  if (userData !== undefined && installed.trainedOn !== userData)
    return {
      train: true,
      data,
      reason: `the installed model ${installed.model} was trained on ${installed.trainedOn ?? 'another file'}`,
    };
  return { train: false, data, reason: `using the model ${installed.model} in ${predictModelDir}` };
}

/** Reads predict's model folder: missing, unusable (with why), or usable with the file it was trained on. */
export function installedModelState(dir: string = predictModelDir): InstalledState {
  let installed;
  try {
    installed = readInstalledModel(dir);
  } catch (error) {
    return { state: 'unusable', reason: (error as Error).message };
  }
  if (installed === undefined) return { state: 'missing' };
  const rarity = raritySchema.safeParse(JSON.parse(readFileSync(join(dir, modelFiles.rarity), 'utf8')));
  if (!rarity.success) return { state: 'unusable', reason: `${modelFiles.rarity} is malformed` };
  let trainedOn: string | undefined;
  try {
    const metrics = JSON.parse(readFileSync(join(dir, modelFiles.metrics), 'utf8')) as {
      data?: { file?: string };
    };
    trainedOn = metrics.data?.file === undefined ? undefined : resolve(projectRoot, metrics.data.file);
  } catch {
    trainedOn = undefined;
  }
  return { state: 'usable', model: installed.model, trainedOn };
}

/**
 * Trains and installs predict's model when `decideModel` says so: on the user's CSV (`npm run up
 * -- --data FILE.csv`), else on the sample data. Bad input stops here with the file, line and
 * column, before anything is installed, so the installed model stays as it was.
 */
export async function ensureModel(
  sample: string,
  log: (line: string) => void,
  userData?: string,
  modelDir: string = predictModelDir,
): Promise<void> {
  const wanted = userData === undefined ? undefined : resolve(userData);
  const decision = decideModel(installedModelState(modelDir), sample, wanted);
  if (!decision.train) {
    log(`  ${decision.reason}`);
    return;
  }
  log(`  ${decision.reason}: training on ${decision.data}`);
  let progress: ReturnType<typeof createProgress> | undefined;
  try {
    const records = await readTrainingCsv(decision.data);
    const bar = (progress = createProgress('  train', 1));
    const run = await runTraining({
      records,
      dataFile: decision.data,
      name: 'cdn-kmeans',
      // The project's models/ (as cdnfaas train) for predict's folder, else beside the folder given.
      modelsRoot:
        modelDir === predictModelDir ? join(projectRoot, 'models') : join(dirname(modelDir), 'models'),
      options: defaultTrainOptions,
      onStep: (done, total) => bar.update(done, total),
    });
    bar.stop();
    await installModel(run.out, modelDir);
    log(
      `  installed ${run.metadata.name}@${run.metadata.version} (k = ${run.metadata.k}, expected anomaly rate ${(run.metadata.expectedAnomalyRate * 100).toFixed(2)} %) from ${run.out}`,
    );
  } catch (error) {
    if (!isCdnfaasError(error, 'INVALID_INPUT')) throw error;
    // up has no training options of its own: the model can be trained with them, then up reuses it.
    throw new CdnfaasError('INVALID_INPUT', `training on ${decision.data}: ${error.message}`, {
      hint: `${error.hint ?? 'fix the file'}; or train it yourself (npx cdnfaas train --data ${decision.data} --install [--k-max N]) and run up with the same --data; the installed model is unchanged`,
      cause: error,
    });
  } finally {
    progress?.stop();
  }
}
