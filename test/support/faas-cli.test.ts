import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faasCliSuiteMode, findOnPath, isCi } from './faas-cli.ts';

describe('faas-cli suites', () => {
  it.each([
    ['/bin/faas-cli', false, 'run'],
    ['/bin/faas-cli', true, 'run'],
    [undefined, false, 'skip'],
    [undefined, true, 'fail'],
  ] as const)('found %s, CI %s -> %s', (found, ci, mode) => {
    expect(faasCliSuiteMode(found, ci)).toBe(mode);
  });

  it.each([
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ CI: 'false' }, false],
    [{ CI: '' }, false],
    [{}, false],
  ])('CI env %j -> %s', (env, expected) => expect(isCi(env)).toBe(expected));

  const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-path-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds only an executable file on PATH', () => {
    writeFileSync(join(dir, 'faas-cli'), '#!/bin/sh\n');
    expect(findOnPath('faas-cli', `/nonexistent:${dir}`)).toBeUndefined();
    chmodSync(join(dir, 'faas-cli'), 0o755);
    expect(findOnPath('faas-cli', `/nonexistent::${dir}`)).toBe(join(dir, 'faas-cli'));
  });
});
