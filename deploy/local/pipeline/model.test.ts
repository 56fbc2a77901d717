import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFiles } from '../../../ml/model-bundle.ts';
import { isCdnfaasError } from '../../../lib/errors.ts';
import { decideModel, ensureModel, installedModelState } from './model.ts';

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

describe('ensureModel with a training file of the user (npm run up -- --data FILE.csv)', () => {
  const header = 'timestamp,channel_id,host_id,content_type,protocol,content_id,geo_location,user_id';
  /** 600 rows over 30 code combinations (enough for k up to 12). */
  const goodCsv = [
    header,
    ...Array.from(
      { length: 600 },
      (_, i) => `2088-05-13 07:00:00,${i % 5},${100 + (i % 6)},2,1,,${i % 30},13.0`,
    ),
  ].join('\n');

  function folders() {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-ensure-'));
    const modelDir = join(dir, 'model');
    mkdirSync(modelDir);
    // An installed model of an older format: up would train a new one.
    for (const file of Object.values(modelFiles)) writeFileSync(join(modelDir, file), `old ${file}`);
    return { dir, modelDir };
  }

  it.each([
    ['a missing column', `timestamp,channel_id\n2088-05-13,1\n`, /missing column\(s\) host_id/],
    ['an empty file', '', /the file is empty/],
    [
      'a wrong type',
      `${header}\n2088-05-13 07:00:00,8,http,2,1,,4,13\n`,
      /line 2: host_id: expected an integer code/,
    ],
    [
      'too few distinct rows for k',
      `${header}\n${Array(50).fill('2088-05-13 07:00:00,1,2,2,1,,4,13').join('\n')}\n`,
      /too few distinct rows for k/,
    ],
  ])('refuses %s, naming the file, and leaves the installed model untouched', async (_, csv, message) => {
    const { dir, modelDir } = folders();
    const data = join(dir, 'mine.csv');
    writeFileSync(data, csv);
    const error = await ensureModel(join(dir, 'sample.csv'), () => {}, data, modelDir).catch(
      (caught: unknown) => caught,
    );
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(data);
    expect((error as { hint: string }).hint).toContain('the installed model is unchanged');
    for (const file of Object.values(modelFiles))
      expect(readFileSync(join(modelDir, file), 'utf8')).toBe(`old ${file}`);
  });

  it('trains on the file instead of the sample, then keeps that model while --data names the same file', async () => {
    const { dir, modelDir } = folders();
    const data = join(dir, 'mine.csv');
    writeFileSync(data, goodCsv);
    const lines: string[] = [];
    await ensureModel(join(dir, 'no-sample.csv'), (line) => lines.push(line), data, modelDir);
    const state = installedModelState(modelDir);
    expect(state).toMatchObject({ state: 'usable', trainedOn: data });
    await ensureModel(join(dir, 'no-sample.csv'), (line) => lines.push(line), data, modelDir);
    expect(lines.at(-1)).toContain(`using the model ${(state as { model: string }).model}`);
  }, 30_000);
});
