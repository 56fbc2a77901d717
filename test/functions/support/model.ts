import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../system/config.ts';

const run = promisify(execFile);

export interface TrainedModel {
  /** The generated CSV the model was trained on. */
  csv: string;
  /** Its labels side file (row, timestamp, label, kinds). */
  labels: string;
  /** The model directory: model.onnx, preprocessing.json, metadata.json, ... */
  dir: string;
}

/** Generates labelled sample data and trains a model on it with the project's own commands. */
export async function trainSampleModel(rows: number, seed: number): Promise<TrainedModel> {
  const work = mkdtempSync(join(tmpdir(), 'cdnfaas-model-'));
  const csv = join(work, 'sample.csv');
  const dir = join(work, 'model');
  const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');
  const options = { cwd: projectRoot, timeout: 180_000 };
  await run(
    process.execPath,
    [cli, 'generate-data', '--rows', String(rows), '--seed', String(seed), '--out', csv],
    options,
  );
  await run(
    process.execPath,
    [cli, 'train', '--data', csv, '--out', dir, '--k-max', '6', '--seed', String(seed)],
    options,
  );
  return { csv, labels: join(work, 'sample.labels.csv'), dir };
}
