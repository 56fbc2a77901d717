// The model the ONNX limit runs: the one predict is built with, or one trained here when none is installed.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { predictModelDir, trainSmallModel } from '../../deploy/local/pipeline/model.ts';

export async function modelForBench(say: (line: string) => void): Promise<string> {
  if (existsSync(join(predictModelDir, 'model.onnx'))) return predictModelDir;
  const work = mkdtempSync(join(tmpdir(), 'cdnfaas-bench-model-'));
  say(`  no model in ${predictModelDir}: training one on generated data into ${join(work, 'model')}`);
  return trainSmallModel(work);
}
