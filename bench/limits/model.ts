// The model the ONNX limit runs: the one predict is built with, or one trained here when none is installed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { predictModelDir } from '../../deploy/local/pipeline/model.ts';
import { projectRoot } from '../../system/config.ts';

const run = promisify(execFile);

export async function modelForBench(say: (line: string) => void): Promise<string> {
  if (existsSync(join(predictModelDir, 'model.onnx'))) return predictModelDir;
  const work = mkdtempSync(join(tmpdir(), 'cdnfaas-bench-model-'));
  const csv = join(work, 'train.csv');
  const dir = join(work, 'model');
  say(`  no model in ${predictModelDir}: training one on generated data into ${dir}`);
  const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');
  const options = { cwd: projectRoot, timeout: 300_000 };
  await run(
    process.execPath,
    [cli, 'generate-data', '--rows', '20000', '--seed', '7', '--out', csv],
    options,
  );
  await run(process.execPath, [cli, 'train', '--data', csv, '--out', dir, '--seed', '7'], options);
  return dir;
}
