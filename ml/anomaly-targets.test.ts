import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readTrainingCsv } from './dataset.ts';
import { loadModelBundle } from './model-bundle.ts';
import { defaultTrainOptions } from './train.ts';
import { runTraining } from './training-run.ts';

/**
 * Issue 13's targets on the published files: train on train_cdn.csv, alter test_cdn.csv (1,000
 * rows as they are, 1,000 copies with 1, 2 or 3 codes replaced by codes the training file has at
 * most twice or never) and score what predict would tag. With CI=true the files must be there.
 */
const data = join(import.meta.dirname, '../../shared/data');
const train = join(data, 'train_cdn.csv');
const test = join(data, 'test_cdn.csv');
const present = existsSync(train) && existsSync(test);

it.skipIf(!present && process.env.CI !== 'true')(
  'the rarity score reaches the targets on the published data, beside the original approach',
  async () => {
    expect(present, `${train} and ${test} are needed`).toBe(true);
    const out = await mkdtemp(join(tmpdir(), 'cdnfaas-targets-'));
    try {
      const run = await runTraining({
        records: await readTrainingCsv(train),
        dataFile: train,
        test: { records: await readTrainingCsv(test), name: test },
        name: 'cdn-kmeans',
        out,
        options: defaultTrainOptions,
      });
      const byApproach = new Map(run.comparison.approaches.map((entry) => [entry.approach, entry]));
      const rarity = byApproach.get('rarity')!;
      expect(run.comparison).toMatchObject({ normalRows: 1000, alteredRows: 1000 });
      expect(rarity.byCodesAltered['2']!.recall).toBeGreaterThanOrEqual(0.9);
      expect(rarity.byCodesAltered['2']!.precision).toBeGreaterThanOrEqual(0.95);
      expect(rarity.byCodesAltered['3']!.recall).toBeGreaterThanOrEqual(0.95);
      expect(rarity.byCodesAltered['3']!.precision).toBeGreaterThanOrEqual(0.95);
      expect(rarity.silhouette).toBeGreaterThanOrEqual(0.75);
      expect(run.onnxParity).toBeGreaterThanOrEqual(0.999);
      // The distance threshold is what misses two rare codes; the card says so beside the score.
      expect(byApproach.get('oneHot')!.byCodesAltered['2']!.recall).toBeLessThan(0.9);
      expect(byApproach.get('original')!.silhouette).toBeLessThan(rarity.silhouette);

      const bundle = await loadModelBundle(out);
      expect(bundle.metadata.expectedAnomalyRate).toBeGreaterThan(0.005);
      expect(bundle.metadata.expectedAnomalyRate).toBeLessThan(0.02);
      const { readFile } = await import('node:fs/promises');
      const card = await readFile(join(out, 'MODEL_CARD.md'), 'utf8');
      expect(card).toContain('k-means on raw codes, distance threshold (original system)');
      expect(card).toContain('ONNX parity');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  },
  60_000,
);
