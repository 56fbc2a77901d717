import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import { modelFiles } from '../../ml/model-bundle.ts';
import type { InstalledModel } from '../../ml/model-digest.ts';
import { checkModelImage, modelImageEnv, modelImages } from './model-image.ts';

const installed: InstalledModel = {
  dir: '/p/functions/predict/model',
  model: 'cdn-kmeans@b232211ff4',
  digest: '61c36ecbd5' + '0'.repeat(54),
};
const predict = (model = 'cdn-kmeans@b232211ff4') => ({
  name: 'predict',
  annotations: { topic: 'cdn_data', 'cdnfaas.model': model },
});

function refusal(run: () => void): CdnfaasError {
  try {
    run();
  } catch (error) {
    if (isCdnfaasError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkModelImage', () => {
  it('accepts a tag that names the model files, with the model annotation', () => {
    for (const image of ['cdnfaas/predict:0.1.0-m61c36ecbd5', 'cdnfaas/predict:0.2.0-m61c36ecbd5'])
      expect(() => checkModelImage(predict(), image, installed.dir, installed)).not.toThrow();
  });

  it('refuses to build without a model, naming the command that makes one', () => {
    const error = refusal(() =>
      checkModelImage(predict(), 'cdnfaas/predict:0.1.0', installed.dir, undefined),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(`predict carries a model, but ${installed.dir} holds none`);
    expect(error.hint).toContain('npx cdnfaas train --data ../shared/data/train_cdn.csv --install');
    expect(error.hint).toContain('npm run up');
  });

  it.each([
    ['the code version alone', 'cdnfaas/predict:0.1.0', 'PREDICT_TAG=0.1.0-m61c36ecbd5'],
    ['another model', 'cdnfaas/predict:0.1.0-m0000000000', 'PREDICT_TAG=0.1.0-m61c36ecbd5'],
    ['a moving tag', 'cdnfaas/predict:latest', 'PREDICT_TAG=latest-m61c36ecbd5'],
    ['a pinned digest', `cdnfaas/predict@sha256:${'a'.repeat(64)}`, 'PREDICT_TAG='],
  ])('refuses %s as a tag, giving the one to use', (_what, image, command) => {
    const error = refusal(() => checkModelImage(predict(), image, installed.dir, installed));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(
      `${image} does not name the model in ${installed.dir} (cdn-kmeans@b232211ff4)`,
    );
    expect(error.hint).toContain(command);
    expect(error.hint).toContain(
      'PREDICT_MODEL=cdn-kmeans@b232211ff4 faas-cli up -f stack.yml --filter predict',
    );
  });

  it.each([['unset'], ['cdn-kmeans@0000000000'], ['']])(
    'refuses a cdnfaas.model annotation of %j for another model',
    (annotation) => {
      const error = refusal(() =>
        checkModelImage(predict(annotation), 'cdnfaas/predict:0.1.0-m61c36ecbd5', installed.dir, installed),
      );
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain(`predict's cdnfaas.model annotation is ${JSON.stringify(annotation)}`);
      expect(error.hint).toContain(
        'PREDICT_TAG=0.1.0-m61c36ecbd5 PREDICT_MODEL=cdn-kmeans@b232211ff4 faas-cli up -f stack.yml --filter predict',
      );
    },
  );
});

describe('modelImageEnv', () => {
  let dir: string;
  let stackFile: string;
  const metadata = {
    format: 'cdnfaas.model/v2',
    name: 'cdn-kmeans',
    version: 'abcdef0123',
    k: 2,
    threshold: 1,
    thresholdPercentile: 99,
    rarityThreshold: 20,
    expectedAnomalyRate: 0.01,
    featureDimension: 3,
    inputName: 'features',
    rarityInputName: 'rarity_slots',
    outputNames: { label: 'label', distance: 'distance', rarity: 'rarity' },
    trainedAt: '2026-01-01T00:00:00.000Z',
    trainingRows: 10,
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdnfaas-model-image-'));
    stackFile = join(dir, 'stack.yml');
    writeFileSync(
      stackFile,
      `provider:
  name: openfaas
functions:
  predict:
    lang: node20-ts
    handler: ./predict
    image: cdnfaas/predict:\${PREDICT_TAG:-0.3.0}
    annotations:
      cdnfaas.model: \${PREDICT_MODEL:-unset}
  other:
    lang: node20-ts
    handler: ./other
    image: cdnfaas/other:0.1.0
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the environment alone while no model is installed', () => {
    expect(modelImages(stackFile, {})).toEqual([]);
    expect(modelImageEnv(stackFile, { A: '1' })).toEqual({ A: '1' });
  });

  it("fills PREDICT_TAG (stack.yml's code version + model digest) and PREDICT_MODEL where unset", () => {
    const modelDir = join(dir, 'predict', 'model');
    mkdirSync(modelDir, { recursive: true });
    for (const file of Object.values(modelFiles)) writeFileSync(join(modelDir, file), file);
    writeFileSync(join(modelDir, modelFiles.metadata), JSON.stringify(metadata));
    const [image] = modelImages(stackFile, { PREDICT_TAG: '9.9.9' });
    expect(image!.function).toBe('predict');
    expect(image!.tag).toMatch(/^0\.3\.0-m[0-9a-f]{10}$/);
    expect(image!.ref).toBe(`cdnfaas/predict:${image!.tag}`);
    expect(modelImageEnv(stackFile, { PREDICT_TAG: '' })).toEqual({
      PREDICT_TAG: image!.tag,
      PREDICT_MODEL: 'cdn-kmeans@abcdef0123',
    });
    // What the user set is kept, for the build to check.
    expect(modelImageEnv(stackFile, { PREDICT_TAG: '0.1.0-m1', PREDICT_MODEL: 'x' })).toEqual({
      PREDICT_TAG: '0.1.0-m1',
      PREDICT_MODEL: 'x',
    });
    // Any change to a model file is a new tag.
    writeFileSync(join(modelDir, modelFiles.metrics), '{"changed":true}');
    expect(modelImages(stackFile, {})[0]!.tag).not.toBe(image!.tag);
  });
});
