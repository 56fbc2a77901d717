import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestModelFiles, modelImageTag, readInstalledModel, tagNamesModel } from './model-digest.ts';
import { cdnfaasErrorFrom } from '../test/support/thrown.ts';

const digest = '61c36ecbd5' + 'a'.repeat(54);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('model image tags', () => {
  it.each([
    ['0.1.0', digest, '0.1.0-m61c36ecbd5'],
    ['0.2.0', 'b'.repeat(64), '0.2.0-mbbbbbbbbbb'],
    ['latest', digest, 'latest-m61c36ecbd5'],
  ])('modelImageTag(%s, digest) = %s', (codeVersion, modelDigest, tag) => {
    expect(modelImageTag(codeVersion, modelDigest)).toBe(tag);
  });

  it.each([
    ['0.1.0-m61c36ecbd5', true],
    ['0.2.0-m61c36ecbd5', true],
    ['0.1.0', false],
    ['0.1.0-m61c36ecbd4', false],
    ['0.1.0-m61c36ecbd5-x', false],
    ['latest', false],
  ])('tagNamesModel(%s) is %s', (tag, names) => {
    expect(tagNamesModel(tag, digest)).toBe(names);
  });
});

describe('digestModelFiles', () => {
  const files = [
    { name: 'model.onnx', bytes: bytes('graph') },
    { name: 'metrics.json', bytes: bytes('{"seconds":1}') },
  ];

  it('does not depend on the order files are listed in', () => {
    expect(digestModelFiles(files)).toBe(digestModelFiles([...files].reverse()));
    expect(digestModelFiles(files)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a changed byte', [files[0]!, { name: 'metrics.json', bytes: bytes('{"seconds":2}') }]],
    ['a renamed file', [files[0]!, { name: 'metrics.jsn', bytes: files[1]!.bytes }]],
    [
      'bytes moved across the file boundary',
      [
        { name: 'model.onnx', bytes: bytes('graph{') },
        { name: 'metrics.json', bytes: bytes('"seconds":1}') },
      ],
    ],
    ['a missing file', [files[0]!]],
  ])('changes with %s', (_what, changed) => {
    expect(digestModelFiles(changed)).not.toBe(digestModelFiles(files));
  });
});

describe('readInstalledModel', () => {
  it('is undefined for a folder without a model, and INVALID_INPUT for half of one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-digest-'));
    try {
      expect(readInstalledModel(join(dir, 'none'))).toBeUndefined();
      writeFileSync(join(dir, 'metadata.json'), '{"format":"cdnfaas.model/v1"}');
      const error = cdnfaasErrorFrom(() => readInstalledModel(dir), 'INVALID_INPUT');
      expect(error.message).toContain(`the model in ${dir} is incomplete or malformed`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
