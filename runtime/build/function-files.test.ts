import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExtraFile } from '../../template/node20-ts/image-folder.mjs';
import { listHandlerFolderFiles } from './function-files.ts';

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

describe('listHandlerFolderFiles (classic: the files are the code)', () => {
  it.each([
    ['an empty folder', {}, []],
    [
      'a script, its data and a nested folder; dotfiles and build/ template/ at the top skipped',
      {
        'handler.sh': 'cat',
        'handler.py': 'print(1)',
        'lib/util.py': '',
        'package.json': '{}',
        'handler.ts': '',
        '.env': 'X=1',
        '.git/config': '',
        'build/x/file': '',
        'template/classic/index.ts': '',
        'data/build/kept.txt': '',
      },
      ['data/build/kept.txt', 'handler.py', 'handler.sh', 'handler.ts', 'lib/util.py', 'package.json'],
    ],
  ])('%s', (_name, files: Record<string, string>, listed) => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-classic-files-'));
    try {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      expect(listHandlerFolderFiles(dir)).toEqual(listed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
