import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import { buildStack } from '../../runtime/build/index.ts';
import { LocalImageStore } from '../../runtime/images/store.ts';
import { projectRoot } from '../../system/config.ts';

// Images are immutable: same content under a tag is a no-op, different content is refused
// without --force. Driven through buildStack and through `cdnfaas build`.
let dir: string;
let home: string;
let store: LocalImageStore;
let stackFile: string;

function writeFunction(answer: string, extra: Record<string, string> = {}): void {
  const handlerDir = join(dir, 'functions', 'greet');
  mkdirSync(handlerDir, { recursive: true });
  writeFileSync(join(handlerDir, 'handler.ts'), `export default () => ${JSON.stringify(answer)};\n`);
  for (const [path, content] of Object.entries(extra)) {
    mkdirSync(join(handlerDir, path, '..'), { recursive: true });
    writeFileSync(join(handlerDir, path), content);
  }
}

const build = (force = false) => buildStack({ stackFile, config: { home }, store, force });

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(projectRoot, 'bin/cdnfaas.mjs'), ...args], {
    cwd: dir,
    env: { ...process.env, CDNFAAS_HOME: home },
    encoding: 'utf8',
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cdnfaas-build-'));
  home = join(dir, 'home');
  store = new LocalImageStore(join(home, 'images'));
  stackFile = join(dir, 'stack.yml');
  writeFileSync(
    stackFile,
    'provider:\n  name: openfaas\nfunctions:\n  greet:\n    lang: node20-ts\n    handler: ./functions/greet\n    image: cdnfaas/greet:1.0.0\n',
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('build immutability', () => {
  it('is a no-op for the same content, refuses different content, and moves the tag with force', async () => {
    writeFunction('v1');
    const [created] = await build();
    expect(created).toMatchObject({ outcome: 'created', ref: 'cdnfaas/greet:1.0.0' });
    const [again] = await build();
    expect(again).toMatchObject({ outcome: 'unchanged', digest: created!.digest });

    writeFunction('v2');
    const refused = await build().catch((error: unknown) => error);
    expect(isCdnfaasError(refused, 'CONFLICT')).toBe(true);
    expect((refused as Error).message).toContain('cdnfaas/greet:1.0.0');
    expect((refused as Error).message).toContain(created!.digest);
    expect(store.resolve('cdnfaas/greet:1.0.0')!.digest).toBe(created!.digest);

    const [forced] = await build(true);
    expect(forced).toMatchObject({ outcome: 'replaced', previousDigest: created!.digest });
    expect(forced!.digest).not.toBe(created!.digest);
    expect(store.resolve('cdnfaas/greet:1.0.0')!.digest).toBe(forced!.digest);
  });

  it('gives the same digest for the same sources in another store', async () => {
    writeFunction('same');
    const [first] = await build();
    const otherHome = join(dir, 'other-home');
    const [second] = await buildStack({
      stackFile,
      config: { home: otherHome },
      store: new LocalImageStore(join(otherHome, 'images')),
    });
    expect(second!.digest).toBe(first!.digest);
  });

  it('ships the handler folder files except sources and tests, and a changed data file changes the digest', async () => {
    writeFunction('v1', {
      'model/weights.bin': 'w1',
      'helper.ts': 'export const x = 1;',
      'handler.test.ts': '',
      'notes.test.json': '{}',
    });
    const [first] = await build();
    expect(first!.manifest.files).toEqual([
      'function/handler.mjs',
      'function/handler.mjs.map',
      'function/model/weights.bin',
      'index.mjs',
      'index.mjs.map',
    ]);
    writeFunction('v1', { 'model/weights.bin': 'w2' });
    const refused = await build().catch((error: unknown) => error);
    expect(isCdnfaasError(refused, 'CONFLICT')).toBe(true);
  });

  it('fails with a clear error for a handler that does not bundle', async () => {
    writeFunction('v1');
    writeFileSync(
      join(dir, 'functions/greet/handler.ts'),
      "import { missing } from './nowhere.ts';\nexport default () => missing;\n",
    );
    const error = await build().catch((caught: unknown) => caught);
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(/bundling the handler .*handler\.ts failed/);
    expect((error as Error).message).toContain('./nowhere.ts');
  });
});

describe('cdnfaas build and cdnfaas images', () => {
  it('exits 1 naming the conflict, succeeds with --force, and lists the tag with its digest', async () => {
    writeFunction('v1');
    const first = cli('build');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/greet\s+cdnfaas\/greet:1\.0\.0\s+created\s+sha256:[a-f0-9]{12}/);

    writeFunction('v2');
    const refused = cli('build', '-f', 'stack.yml', '--filter', 'greet');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already exists with different content');
    expect(refused.stderr).toContain('--force');

    const forced = cli('build', '--force');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain('replaced');

    const listed = cli('images', '--json');
    expect(listed.status).toBe(0);
    const images = JSON.parse(listed.stdout) as {
      ref: string;
      digest: string;
      function: string;
      sizeBytes: number;
    }[];
    expect(images).toEqual([
      expect.objectContaining({
        ref: 'cdnfaas/greet:1.0.0',
        function: 'greet',
        digest: store.resolve('cdnfaas/greet:1.0.0')!.digest,
      }),
    ]);
    expect(images[0]!.sizeBytes).toBeGreaterThan(0);

    const table = cli('images');
    expect(table.stdout).toMatch(
      /^IMAGE\s+DIGEST\s+FUNCTION\s+MODEL\s+SIZE\s+CREATED\ncdnfaas\/greet:1\.0\.0\s+sha256:/,
    );
  });

  it('refuses an unknown --filter, naming the functions there are', () => {
    writeFunction('v1');
    const result = cli('build', '--filter', 'nope');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the functions are: greet');
  });
});
