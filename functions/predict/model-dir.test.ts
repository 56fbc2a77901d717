import { describe, expect, it } from 'vitest';
import { modelDirCandidates, resolveModelDir } from './model-dir.ts';

const handlerUrl = 'file:///images/predict/function/handler.mjs';

describe('resolveModelDir', () => {
  it('looks beside the handler, then under the working directory', () => {
    expect(modelDirCandidates({ env: {}, handlerUrl, cwd: '/images/predict' })).toEqual([
      '/images/predict/function/model',
      '/images/predict/model',
    ]);
  });

  it('honours MODEL_DIR, relative to the working directory', () => {
    expect(modelDirCandidates({ env: { MODEL_DIR: 'models/v2' }, handlerUrl, cwd: '/srv' })).toEqual([
      '/srv/models/v2',
    ]);
  });

  it('picks the first folder that holds a model', () => {
    const exists = (path: string) => path === '/images/predict/model/metadata.json';
    expect(resolveModelDir({ env: {}, handlerUrl, cwd: '/images/predict', exists })).toBe(
      '/images/predict/model',
    );
  });

  it('fails naming every folder it tried and how to train a model', () => {
    expect(() =>
      resolveModelDir({ env: {}, handlerUrl, cwd: '/images/predict', exists: () => false }),
    ).toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: expect.stringContaining('/images/predict/function/model, /images/predict/model'),
        hint: expect.stringContaining('npx cdnfaas train'),
      }),
    );
  });
});
