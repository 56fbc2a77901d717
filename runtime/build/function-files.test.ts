import { describe, expect, it } from 'vitest';
import { isExtraFile } from './function-files.ts';

describe('isExtraFile', () => {
  it.each([
    ['model/model.onnx', true],
    ['model/preprocess.json', true],
    ['lookup.csv', true],
    ['helpers.js', true],
    ['handler.ts', false],
    ['features.ts', false],
    ['types.d.ts', false],
    ['handler.test.ts', false],
    ['fixtures.test.json', false],
    ['model.spec.js', false],
    ['__tests__/data.json', false],
    ['node_modules/x/index.js', false],
    ['build/echo/index.ts', false],
    ['template/node20-ts/index.ts', false],
    ['.env', false],
    ['.cache/x.bin', false],
    ['package.json', false],
    ['tsconfig.build.json', false],
  ])('%s -> %s', (path, shipped) => expect(isExtraFile(path)).toBe(shipped));
});
