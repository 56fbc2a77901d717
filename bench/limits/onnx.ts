// onnxruntime's own limit on this machine: the model's session.run on ready tensors, one thread,
// the way one predict replica runs it; and the same with featurizing (what predict does per batch).
import type { ClientData } from '../../contracts/client-data.ts';
import { featurizeBatch } from '../../ml/features.ts';
import { loadModelBundle } from '../../ml/model-bundle.ts';
import { raritySlotsBatch } from '../../ml/rarity.ts';
import { createScorer } from '../../ml/scorer.ts';

export interface OnnxLimit {
  model: string;
  batch: number;
  rows: number;
  /** session.run on prebuilt [batch, D] tensors. */
  rawRowsPerSecond: number;
  /** featurize + session.run (ml/scorer.ts), as predict's stage calls it. */
  scoredRowsPerSecond: number;
}

export async function measureOnnxLimit(options: {
  modelDir: string;
  records: ClientData[];
  batch: number;
  seconds: number;
}): Promise<OnnxLimit> {
  const bundle = await loadModelBundle(options.modelDir);
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bundle.modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const dimension = bundle.preprocessing.dimension;
  const batches: ClientData[][] = [];
  for (let start = 0; start + options.batch <= options.records.length; start += options.batch)
    batches.push(options.records.slice(start, start + options.batch));
  const tensors = batches.map(
    (rows) => new ort.Tensor('float32', featurizeBatch(rows, bundle.preprocessing), [rows.length, dimension]),
  );

  const slots = batches.map(
    (rows) =>
      new ort.Tensor('int64', raritySlotsBatch(rows, bundle.rarity), [
        rows.length,
        bundle.rarity.columns.length,
      ]),
  );

  const loop = async (
    step: (i: number) => Promise<unknown>,
  ): Promise<{ rows: number; perSecond: number }> => {
    for (let i = 0; i < Math.min(20, batches.length); i++) await step(i); // warm-up
    const started = performance.now();
    let rows = 0;
    for (let i = 0; performance.now() - started < options.seconds * 1000; i++) {
      await step(i % batches.length);
      rows += options.batch;
    }
    return { rows, perSecond: rows / ((performance.now() - started) / 1000) };
  };
  const raw = await loop((i) =>
    session.run({ [bundle.metadata.inputName]: tensors[i]!, [bundle.metadata.rarityInputName]: slots[i]! }),
  );
  await session.release();
  const scorer = await createScorer(bundle);
  const scored = await loop((i) => scorer.score(batches[i]!));
  await scorer.close();
  return {
    model: `${bundle.metadata.name}@${bundle.metadata.version}`,
    batch: options.batch,
    rows: raw.rows,
    rawRowsPerSecond: raw.perSecond,
    scoredRowsPerSecond: scored.perSecond,
  };
}
