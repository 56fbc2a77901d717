import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import { LocalImageStore } from '../images/store.ts';
import { isMutableTag } from './build-function.ts';
import { buildStack } from './build-stack.ts';

describe('isMutableTag', () => {
  it.each([
    ['functions/alpine:latest', true],
    ['functions/alpine', true],
    ['localhost:5000/x/y:latest', true],
    ['cdnfaas/predict:0.2.0', false],
    ['functions/alpine:latest-1', false],
  ])('%s -> %s', (ref, mutable) => expect(isMutableTag(ref)).toBe(mutable));
});

describe('building lang: classic', () => {
  let dir: string;
  let store: LocalImageStore;
  const stack = (functions: string) => {
    const file = join(dir, 'stack.yml');
    writeFileSync(file, `provider:\n  name: openfaas\nfunctions:\n${functions}`);
    return file;
  };
  const build = (stackFile: string, force = false) =>
    buildStack({ stackFile, config: { home: join(dir, 'home') }, store, force });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdnfaas-classic-build-'));
    store = new LocalImageStore(join(dir, 'home', 'images'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds an empty handler folder under any image name: the watchdog alone, lang classic', async () => {
    mkdirSync(join(dir, 'alpine'));
    const [built] = await build(
      stack(
        '  hash:\n    lang: classic\n    handler: ./alpine\n    image: functions/alpine:latest\n    fprocess: sha512sum\n',
      ),
    );
    expect(built).toMatchObject({ ref: 'functions/alpine:latest', outcome: 'created' });
    const image = store.resolve('functions/alpine')!;
    expect(image.manifest).toMatchObject({ entrypoint: 'index.mjs', lang: 'classic', function: 'hash' });
    expect(image.manifest.files).toEqual(['index.mjs', 'index.mjs.map']);
  });

  it('ships a script folder as it is under function/', async () => {
    mkdirSync(join(dir, 'shout', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'shout', 'handler.py'), 'import sys\nprint(sys.stdin.read().upper())\n');
    writeFileSync(join(dir, 'shout', 'lib', 'words.txt'), 'hello\n');
    writeFileSync(join(dir, 'shout', 'requirements.txt'), '');
    await build(stack('  shout:\n    lang: classic\n    handler: ./shout\n    image: cdnfaas/shout:0.1.0\n'));
    const image = store.resolve('cdnfaas/shout:0.1.0')!;
    expect(image.manifest.files).toEqual([
      'function/handler.py',
      'function/lib/words.txt',
      'function/requirements.txt',
      'index.mjs',
      'index.mjs.map',
    ]);
    expect(readFileSync(join(image.dir, 'function', 'handler.py'), 'utf8')).toContain('upper()');
  });

  it(':latest moves to new content without --force; a fixed tag refuses it with CONFLICT', async () => {
    mkdirSync(join(dir, 'fn'));
    const latest = stack('  fn:\n    lang: classic\n    handler: ./fn\n    image: functions/alpine:latest\n');
    const first = (await build(latest))[0]!;
    writeFileSync(join(dir, 'fn', 'handler.sh'), 'cat\n');
    const moved = (await build(latest))[0]!;
    expect(moved).toMatchObject({ outcome: 'replaced', previousDigest: first.digest });
    expect(moved.digest).not.toBe(first.digest);

    const fixed = stack('  fn:\n    lang: classic\n    handler: ./fn\n    image: functions/alpine:1.0\n');
    await build(fixed);
    writeFileSync(join(dir, 'fn', 'handler.sh'), 'cat -n\n');
    const refused = await build(fixed).catch((error: unknown) => error);
    expect(isCdnfaasError(refused, 'CONFLICT')).toBe(true);
  });

  it('a missing handler folder is CONFIG_NOT_FOUND naming the mkdir that fixes it', async () => {
    const error = await build(
      stack('  gone:\n    lang: classic\n    handler: ./gone\n    image: functions/gone:1\n'),
    ).catch((caught: unknown) => caught);
    expect(isCdnfaasError(error, 'CONFIG_NOT_FOUND')).toBe(true);
    expect((error as { hint: string }).hint).toContain(`mkdir -p ${join(dir, 'gone')}`);
  });

  it('an unknown lang names the ones that build', async () => {
    const error = await build(stack('  x:\n    lang: python3\n    handler: ./x\n    image: x/y:1\n')).catch(
      (caught: unknown) => caught,
    );
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as { hint: string }).hint).toBe('use lang: node20-ts or classic in stack.yml');
  });
});
