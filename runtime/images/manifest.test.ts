import { describe, expect, it } from 'vitest';
import { digestOfFiles } from './digest.ts';
import { buildManifest, parseManifest } from './manifest.ts';

const files = [
  { path: 'index.mjs', size: 100, sha256: 'a'.repeat(64) },
  { path: 'function/handler.mjs', size: 50, sha256: 'b'.repeat(64) },
];
const input = {
  image: 'cdnfaas/echo:0.1.0',
  function: 'echo',
  entrypoint: 'index.mjs',
  files,
  createdAt: new Date('2026-01-02T03:04:05Z'),
  lang: 'node20-ts',
};

describe('buildManifest', () => {
  it('records the digest of the files, sorted paths, total size and build time', () => {
    expect(buildManifest(input)).toEqual({
      schemaVersion: 1,
      image: 'cdnfaas/echo:0.1.0',
      digest: digestOfFiles(files),
      function: 'echo',
      entrypoint: 'index.mjs',
      createdAt: '2026-01-02T03:04:05.000Z',
      files: ['function/handler.mjs', 'index.mjs'],
      sizeBytes: 150,
      lang: 'node20-ts',
    });
  });

  it('keeps the digest when only the build time differs', () => {
    expect(buildManifest({ ...input, createdAt: new Date() }).digest).toBe(buildManifest(input).digest);
  });

  it('refuses a function file named manifest.json and an entrypoint that is not a file', () => {
    expect(() =>
      buildManifest({
        ...input,
        files: [...files, { path: 'manifest.json', size: 1, sha256: 'c'.repeat(64) }],
      }),
    ).toThrow(/reserved/);
    expect(() => buildManifest({ ...input, entrypoint: 'main.mjs' })).toThrow(/entrypoint main.mjs/);
  });

  it('round-trips through parseManifest, which rejects unsafe file paths', () => {
    const manifest = buildManifest(input);
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    expect(() => parseManifest({ ...manifest, files: ['../escape'] })).toThrow();
  });
});
