import { describe, expect, it } from 'vitest';
import { isForeignPlatformPath, isRuntimeFile } from '../../template/node20-ts/native-packages.mjs';

describe('isForeignPlatformPath on linux/x64', () => {
  it.each([
    ['bin/napi-v6/linux/x64/onnxruntime_binding.node', false],
    ['bin/napi-v6/linux/arm64/onnxruntime_binding.node', true],
    ['bin/napi-v6/darwin/arm64/libonnxruntime.dylib', true],
    ['bin/napi-v6/win32/x64/onnxruntime.dll', true],
    ['prebuilds/linux-x64/node.napi.node', false],
    ['prebuilds/linux-arm64/node.napi.node', true],
    ['prebuilds/darwin-x64+arm64/node.napi.node', true],
    ['dist/index.js', false],
    ['lib/linux.js', false],
  ])('%s -> %s', (path, foreign) => {
    expect(isForeignPlatformPath(path, 'linux', 'x64')).toBe(foreign);
  });
});

describe('isRuntimeFile', () => {
  it.each([
    ['dist/index.js', true],
    ['dist/index.d.ts', false],
    ['dist/index.js.map', false],
    ['.github/FUNDING.yml', false],
    ['node_modules/x/index.js', false],
    ['LICENSE', true],
    ['package.json', true],
  ])('%s -> %s', (path, kept) => expect(isRuntimeFile(path, 'linux', 'x64')).toBe(kept));
});
