import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCdnfaasError, type CdnfaasError } from '../../lib/errors.ts';
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

describe('cdnfaas train on bad input', () => {
  const header = 'timestamp,channel_id,host_id,content_type,protocol,content_id,geo_location,user_id';
  const rows = (count: number, distinct: number) =>
    Array.from(
      { length: count },
      (_, i) => `2088-05-13 07:00:${String(i % 60).padStart(2, '0')},${i % distinct},1,2,1,,4,13.0`,
    );

  it.each([
    [
      'a missing column',
      `timestamp,channel_id,host_id\n2088-05-13,1,2\n`,
      /missing column\(s\) content_type, protocol, content_id, geo_location, user_id/,
    ],
    ['an empty file', '', /data\.csv: the file is empty/],
    ['a header without rows', `${header}\n`, /data\.csv: no data rows/],
    [
      'a wrong type',
      `${header}\n${rows(3, 3).join('\n')}\n2088-05-13 07:01:00,8,http,2,1,,4,13\n`,
      /line 5: host_id: expected an integer code such as 13 or 13\.0, got "http"/,
    ],
    [
      'too few distinct rows for k',
      `${header}\n${rows(40, 3).join('\n')}\n`,
      /too few distinct rows for k: k up to 6 needs 6 distinct code combinations in the training split, the data has 3 \(in 40 rows\)/,
    ],
  ])(
    'refuses %s with a clear error and leaves the installed model untouched',
    async (_what, csv, message) => {
      const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-train-bad-'));
      const installed = join(dir, 'installed');
      await mkdir(installed);
      for (const file of Object.values(modelFiles)) await writeFile(join(installed, file), `old ${file}`);
      await writeFile(join(dir, 'data.csv'), csv);
      await expect(
        run(
          'train',
          '--data',
          join(dir, 'data.csv'),
          '--out',
          join(dir, 'm'),
          '--k-max',
          '6',
          '--install',
          installed,
        ),
      ).rejects.toThrow(message);
      for (const file of Object.values(modelFiles))
        expect(await readFile(join(installed, file), 'utf8')).toBe(`old ${file}`);
      expect(existsSync(join(dir, 'm'))).toBe(false);
    },
  );

  it('names the --k-max that fits when some k would', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-train-bad-'));
    await writeFile(join(dir, 'data.csv'), `${header}\n${rows(40, 4).join('\n')}\n`);
    const error = await run('train', '--data', join(dir, 'data.csv'), '--out', join(dir, 'm')).catch(
      (caught: unknown) => caught as CdnfaasError,
    );
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as CdnfaasError).hint).toBe('lower --k-max to 4, or train on more varied data');
  });
});
