import { describe, expect, it } from 'vitest';
import { packageNameOf, planPackages } from '../../template/node20-ts/native-packages.mjs';

describe('packageNameOf', () => {
  it.each([
    ['onnxruntime-node', 'onnxruntime-node'],
    ['onnxruntime-node/dist/x.js', 'onnxruntime-node'],
    ['@scope/pkg', '@scope/pkg'],
    ['@scope/pkg/sub', '@scope/pkg'],
  ])('%s -> %s', (specifier, name) => expect(packageNameOf(specifier)).toBe(name));
});

describe('planPackages', () => {
  // A fake node_modules: ort depends on common@1 and zip; zip depends on common@2 (nested under zip).
  const manifests: Record<
    string,
    { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
  > = {
    '/p/node_modules/ort': { dependencies: { common: '1', zip: '1' }, optionalDependencies: { gpu: '1' } },
    '/p/node_modules/common': {},
    '/p/node_modules/zip': { dependencies: { common: '2' } },
    '/p/node_modules/zip/node_modules/common': {},
  };
  const find = (name: string, fromDir: string): string | undefined => {
    for (let dir = fromDir; ; dir = dir.slice(0, dir.lastIndexOf('/'))) {
      const candidate = `${dir}/node_modules/${name}`;
      if (manifests[candidate]) return candidate;
      if (!dir.includes('/')) return undefined;
    }
  };

  it('places the closure flat, nests a second version under its dependent, skips missing optional ones', () => {
    const plan = planPackages([{ name: 'ort', dir: '/p/node_modules/ort' }], (dir) => manifests[dir]!, find);
    expect(plan.map((p) => [p.target, p.sourceDir])).toEqual([
      ['node_modules/common', '/p/node_modules/common'],
      ['node_modules/ort', '/p/node_modules/ort'],
      ['node_modules/zip', '/p/node_modules/zip'],
      ['node_modules/zip/node_modules/common', '/p/node_modules/zip/node_modules/common'],
    ]);
  });

  it('fails naming a required dependency that is not installed', () => {
    const broken: typeof manifests = {
      ...manifests,
      '/p/node_modules/zip': { dependencies: { absent: '1' } },
    };
    expect(() =>
      planPackages([{ name: 'ort', dir: '/p/node_modules/ort' }], (dir) => broken[dir]!, find),
    ).toThrow(/zip depends on absent/);
  });
});
