import { describe, expect, it } from 'vitest';
import { digestOfFiles, isSafeRelativePath, type FileEntry } from './digest.ts';

const hex = (c: string) => c.repeat(64);
const files: FileEntry[] = [
  { path: 'index.mjs', size: 10, sha256: hex('a') },
  { path: 'function/handler.mjs', size: 20, sha256: hex('b') },
  { path: 'function/model/m.onnx', size: 30, sha256: hex('c') },
];

describe('digestOfFiles', () => {
  it('is a sha256 digest, independent of the order files are listed in', () => {
    const digest = digestOfFiles(files);
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(digestOfFiles([...files].reverse())).toBe(digest);
  });

  it.each([
    ['content', (f: FileEntry[]) => f.map((x, i) => (i === 0 ? { ...x, sha256: hex('d') } : x))],
    ['path', (f: FileEntry[]) => f.map((x, i) => (i === 0 ? { ...x, path: 'main.mjs' } : x))],
    ['size', (f: FileEntry[]) => f.map((x, i) => (i === 0 ? { ...x, size: 11 } : x))],
    ['file set', (f: FileEntry[]) => f.slice(1)],
  ])('changes when a file %s changes', (_what, change) => {
    expect(digestOfFiles(change(files))).not.toBe(digestOfFiles(files));
  });

  it('does not confuse a path boundary with content (a/bc vs ab/c)', () => {
    const one = digestOfFiles([{ path: 'a/bc', size: 1, sha256: hex('a') }]);
    const two = digestOfFiles([{ path: 'ab/c', size: 1, sha256: hex('a') }]);
    expect(one).not.toBe(two);
  });

  it.each(['../x', '/abs', 'a//b', 'a/./b', 'a\\b', ''])('refuses the unsafe path %j', (path) => {
    expect(() => digestOfFiles([{ path, size: 1, sha256: hex('a') }])).toThrow(/unsafe path/);
  });

  it('refuses duplicate paths and malformed hashes', () => {
    expect(() => digestOfFiles([files[0]!, files[0]!])).toThrow(/duplicate/);
    expect(() => digestOfFiles([{ path: 'x', size: 1, sha256: 'nothex' }])).toThrow(/sha256/);
  });
});

describe('isSafeRelativePath', () => {
  it.each([
    ['function/handler.mjs', true],
    ['node_modules/@scope/pkg/index.js', true],
    ['..', false],
    ['a/../b', false],
    ['/etc/passwd', false],
  ])('%s -> %s', (path, safe) => expect(isSafeRelativePath(path)).toBe(safe));
});
