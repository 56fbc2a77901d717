import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { modelFiles } from '../../ml/model-bundle.ts';
import * as generateData from './generate-data.ts';
import * as train from './train.ts';

async function run(...args: string[]): Promise<string> {
  const program = new Command('cdnfaas').exitOverride();
  generateData.register(program);
  train.register(program);
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.join(' ')));
  await program.parseAsync(['node', 'cdnfaas', ...args]);
  return lines.join('\n');
}

afterEach(() => vi.restoreAllMocks());

describe('cdnfaas generate-data + train', () => {
  it('trains on generated data, writes every model file, installs it and reports precision and recall', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-train-'));
    await run('generate-data', '--rows', '6000', '--seed', '3', '--out', join(dir, 'train.csv'));
    await run('generate-data', '--rows', '3000', '--seed', '4', '--out', join(dir, 'eval.csv'));
    const out = join(dir, 'model');
    const installed = join(dir, 'predict-model');
    const report = await run(
      'train',
      '--data',
      join(dir, 'train.csv'),
      '--out',
      out,
      '--k-max',
      '6',
      '--version',
      '1.2.3',
      '--eval-data',
      join(dir, 'eval.csv'),
      '--install',
      installed,
      '--report',
    );
    for (const file of Object.values(modelFiles)) {
      expect(existsSync(join(out, file))).toBe(true);
      expect(existsSync(join(installed, file))).toBe(true);
    }
    const metrics = JSON.parse(await readFile(join(out, modelFiles.metrics), 'utf8'));
    expect(metrics.model).toEqual({ name: 'cdn-kmeans', version: '1.2.3' });
    expect(metrics.approaches.model.byK.map((score: { k: number }) => score.k)).toEqual([2, 3, 4, 5, 6]);
    expect(metrics.approaches.baseline.byK).toHaveLength(5);
    expect(metrics.anomalyEvaluation.labelledAnomalies).toBe(30);
    expect(metrics.anomalyEvaluation.precision).toBeGreaterThan(0);
    expect(report).toContain('raw integer codes (original)');
    expect(report).toMatch(/precision \d\.\d{3}, recall \d\.\d{3}/);
    expect(await readFile(join(out, modelFiles.card), 'utf8')).toContain('# cdn-kmeans@1.2.3');
  }, 30_000);

  it('refuses --eval-data without labels, saying where they were looked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-train-'));
    await run('generate-data', '--rows', '500', '--seed', '3', '--out', join(dir, 'train.csv'));
    await expect(
      run(
        'train',
        '--data',
        join(dir, 'train.csv'),
        '--out',
        join(dir, 'm'),
        '--k-max',
        '3',
        '--eval-data',
        join(dir, 'train.csv'),
        '--eval-labels',
        join(dir, 'none.csv'),
      ),
    ).rejects.toThrow(/none\.csv does not exist/);
  });
});
