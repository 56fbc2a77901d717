import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFiles } from '../../../ml/model-bundle.ts';
import { decideModel, installedModelState } from './model.ts';

const sample = '/home/.cdnfaas/sample/cdn_sample.csv';
const usable = { state: 'usable', model: 'cdn-kmeans@abc', trainedOn: sample } as const;

describe('decideModel', () => {
  it.each([
    ['no model, no --data: the sample', { state: 'missing' } as const, undefined, true, sample],
    ['no model, --data: the file', { state: 'missing' } as const, '/data/mine.csv', true, '/data/mine.csv'],
    ['an older format: trained again', { state: 'unusable', reason: 'v1' } as const, undefined, true, sample],
    ['a usable model, no --data: kept', usable, undefined, false, sample],
    ['--data naming the file it was trained on: kept', usable, sample, false, sample],
    ['--data naming another file: trained on it', usable, '/data/mine.csv', true, '/data/mine.csv'],
  ])('%s', (_, installed, userData, train, data) => {
    const decision = decideModel(installed, sample, userData);
    expect(decision).toMatchObject({ train, data });
    expect(decision.reason).not.toBe('');
  });
});

describe('installedModelState', () => {
  it('is missing for an empty folder and unusable, with the reason, for an older format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-installed-'));
    expect(installedModelState(dir)).toEqual({ state: 'missing' });
    for (const file of Object.values(modelFiles)) writeFileSync(join(dir, file), '{}');
    writeFileSync(join(dir, modelFiles.metadata), JSON.stringify({ format: 'cdnfaas.model/v1' }));
    const state = installedModelState(dir);
    expect(state.state).toBe('unusable');
    expect((state as { reason: string }).reason).toContain('cdnfaas.model/v2');
  });
});
