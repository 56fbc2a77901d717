import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgress } from '../../../lib/progress.ts';
import { renderComparison } from '../../../ml/compare-approaches.ts';
import { readTrainingCsv } from '../../../ml/dataset.ts';
import { defaultTrainOptions } from '../../../ml/train.ts';
import { runTraining } from '../../../ml/training-run.ts';

export interface EvaluateFlags {
  data: string;
  test?: string;
  seed: number;
}

/**
 * `cdnfaas models evaluate`: trains on --data without installing anything, benchmarks the three
 * anomaly approaches on altered rows of --test (or the held-out split) and prints the table with
 * the ONNX parity, as the model card reports it.
 */
export async function evaluateModels(flags: EvaluateFlags): Promise<void> {
  const records = await readTrainingCsv(flags.data);
  const test = flags.test === undefined ? undefined : { records: await readTrainingCsv(flags.test), name: flags.test };
  const out = await mkdtemp(join(tmpdir(), 'cdnfaas-evaluate-'));
  const progress = createProgress('evaluate', 1);
  try {
    const run = await runTraining({
      records,
      dataFile: flags.data,
      test,
      name: 'cdn-kmeans',
      out,
      options: { ...defaultTrainOptions, seed: flags.seed },
      onStep: (done, total) => progress.update(done, total),
    });
    console.log(
      `trained on ${flags.data}: k = ${run.metadata.k}, rarity threshold ${run.metadata.rarityThreshold.toFixed(4)}, expected anomaly rate ${(run.metadata.expectedAnomalyRate * 100).toFixed(2)} %\n`,
    );
    console.log(renderComparison(run.comparison, run.onnxParity));
  } finally {
    progress.stop();
    await rm(out, { recursive: true, force: true });
  }
}
