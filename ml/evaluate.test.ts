import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../lib/errors.ts';
import { evaluateAnomalyTags } from './evaluate.ts';
import { loadModelBundle, pipelineType } from './model-bundle.ts';

describe('evaluateAnomalyTags', () => {
  it('counts true and false positives and recall per kind', () => {
    const flags = [true, true, false, false, true, false];
    const labels = new Map([
      [0, 'unseen_host+foreign_protocol'],
      [2, 'unseen_host'],
      [5, 'unseen_geo'],
    ]);
    const evaluation = evaluateAnomalyTags(flags, labels);
    expect(evaluation).toMatchObject({
      rows: 6,
      labelledAnomalies: 3,
      flagged: 3,
      truePositives: 1,
      falsePositives: 2,
      falseNegatives: 2,
    });
    expect(evaluation.precision).toBeCloseTo(1 / 3);
    expect(evaluation.recall).toBeCloseTo(1 / 3);
    expect(evaluation.recallByKind.unseen_host).toEqual({ anomalies: 2, found: 1, recall: 0.5 });
    expect(evaluation.recallByKind.foreign_protocol).toEqual({ anomalies: 1, found: 1, recall: 1 });
    expect(evaluation.recallByChanges).toEqual({
      '1': { anomalies: 2, found: 0, recall: 0 },
      '2': { anomalies: 1, found: 1, recall: 1 },
    });
  });

  it('reports zero rather than NaN when nothing is flagged or labelled', () => {
    expect(evaluateAnomalyTags([false, false], new Map())).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('loadModelBundle', () => {
  it('names the missing file and the command that makes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-bundle-'));
    const error = await loadModelBundle(dir).catch((e: unknown) => e);
    expect(isCdnfaasError(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('preprocessing.json');
    expect((error as { hint: string }).hint).toContain('npx cdnfaas train');
  });

  it('rejects a malformed file, naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cdnfaas-bundle-'));
    await writeFile(
      join(dir, 'preprocessing.json'),
      JSON.stringify({
        format: 'cdnfaas.preprocessing/v1',
        encoding: 'one-hot-top-k',
        missingCode: -1,
        columns: [],
        dimension: 0,
      }),
    );
    const error = await loadModelBundle(dir).catch((e: unknown) => e);
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(/columns|dimension/);
  });

  it('spells pipeline_type as name@version', () => {
    expect(pipelineType({ name: 'cdn-kmeans', version: '61c36ecbd5' })).toBe('cdn-kmeans@61c36ecbd5');
  });
});
