import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathInScope, shrinkwrapStack } from './shrinkwrap.ts';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cdnfaas-shrinkwrap-unit-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const stack = (copy: string[]) =>
  [
    'provider: { name: openfaas }',
    'functions:',
    '  fn: { lang: node20-ts, handler: ./functions/fn, image: x/fn:1 }',
    '  other: { lang: node20-ts, handler: ./functions/other, image: x/other:1, skip_build: true }',
    `configuration: { copy: [${copy.join(', ')}] }`,
  ].join('\n');

const base = {
  'template/node20-ts/template.yml': 'language: node20-ts\n',
  'template/node20-ts/Dockerfile': 'FROM x\n',
  'functions/fn/handler.ts': 'export default () => 1;\n',
  'functions/fn/build/stale.txt': 'left out, as faas-cli does\n',
  'functions/fn/template/x.txt': 'left out, as faas-cli does\n',
  'functions/fn/data/table.csv': 'a,b\n',
  'functions/other/handler.ts': '',
  'lib/a.ts': 'export {};\n',
};

describe('shrinkwrapStack', () => {
  it('lays out template, handler (without build/ and template/) and copy paths as faas-cli does', () => {
    const root = project({ ...base, 'stack.yml': stack(['./lib']) });
    chmodSync(join(root, 'functions/fn/data/table.csv'), 0o640);
    const [context, ...more] = shrinkwrapStack({ stackFile: join(root, 'stack.yml') });
    expect(more).toEqual([]); // skip_build functions get no context
    expect(context!.files).toEqual([
      'Dockerfile',
      'function/data/table.csv',
      'function/handler.ts',
      'function/lib/a.ts',
      'template.yml',
    ]);
    expect(statSync(join(context!.dir, 'function/data/table.csv')).mode & 0o777).toBe(0o640);
  });

  it('starts each context afresh', () => {
    const root = project({ ...base, 'stack.yml': stack([]) });
    shrinkwrapStack({ stackFile: join(root, 'stack.yml') });
    writeFileSync(join(root, 'build/fn/function/leftover.txt'), 'x');
    const [context] = shrinkwrapStack({ stackFile: join(root, 'stack.yml') });
    expect(context!.files).not.toContain('function/leftover.txt');
  });

  it('refuses copy paths outside the project or naming all of it, and missing ones', () => {
    expect(() => pathInScope('../elsewhere', '/p/root')).toThrow(/outside/);
    expect(() => pathInScope('.', '/p/root')).toThrow(/entire project/);
    expect(pathInScope('./lib', '/p/root')).toBe('/p/root/lib');
    const root = project({ ...base, 'stack.yml': stack(['./nowhere']) });
    expect(() => shrinkwrapStack({ stackFile: join(root, 'stack.yml') })).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND', message: expect.stringContaining('./nowhere') }),
    );
  });

  it('names a missing template', () => {
    const root = project({ ...base, 'template/node20-ts/template.yml': '', 'stack.yml': stack([]) });
    const other = project({
      'functions/fn/handler.ts': '',
      'functions/other/handler.ts': '',
      'stack.yml': stack([]),
    });
    expect(() => shrinkwrapStack({ stackFile: join(root, 'stack.yml') })).not.toThrow();
    expect(() => shrinkwrapStack({ stackFile: join(other, 'stack.yml') })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_NOT_FOUND',
        message: expect.stringContaining('template node20-ts'),
      }),
    );
  });
});
