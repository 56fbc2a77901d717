import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import { LocalImageStore } from './store.ts';

let root: string;
let store: LocalImageStore;
const meta = { function: 'echo', entrypoint: 'index.mjs' };

function stage(files: Record<string, string>): string {
  const dir = store.createStagingDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const v1 = { 'index.mjs': 'server', 'function/handler.mjs': 'handler v1', 'function/model/m.bin': 'model' };
const v2 = { ...v1, 'function/handler.mjs': 'handler v2' };

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cdnfaas-store-'));
  store = new LocalImageStore(join(root, 'images'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('LocalImageStore', () => {
  it('stores an image under its tag and resolves it to a read-only directory', async () => {
    const staging = stage(v1);
    const result = await store.put('cdnfaas/echo:0.1.0', staging, meta);
    expect(result.outcome).toBe('created');
    expect(existsSync(staging)).toBe(false);
    const resolved = store.resolve('cdnfaas/echo:0.1.0')!;
    expect(resolved.digest).toBe(result.digest);
    expect(resolved.manifest.files).toEqual(['function/handler.mjs', 'function/model/m.bin', 'index.mjs']);
    expect(readFileSync(join(resolved.dir, 'function/handler.mjs'), 'utf8')).toBe('handler v1');
    expect(statSync(join(resolved.dir, 'index.mjs')).mode & 0o222).toBe(0);
    expect(store.resolve(`cdnfaas/echo@${result.digest}`)?.dir).toBe(resolved.dir);
  });

  it('treats the same content under the same tag as a no-op', async () => {
    const first = await store.put('cdnfaas/echo:0.1.0', stage(v1), meta);
    const second = await store.put('cdnfaas/echo:0.1.0', stage(v1), meta);
    expect(second).toMatchObject({ outcome: 'unchanged', digest: first.digest });
    expect(second.manifest.createdAt).toBe(first.manifest.createdAt);
  });

  it('refuses different content under an existing tag with CONFLICT, and moves the tag with force', async () => {
    const first = await store.put('cdnfaas/echo:0.1.0', stage(v1), meta);
    const error = await caught(store.put('cdnfaas/echo:0.1.0', stage(v2), meta));
    expect(isCdnfaasError(error, 'CONFLICT')).toBe(true);
    expect((error as Error).message).toContain('cdnfaas/echo:0.1.0');
    expect(store.resolve('cdnfaas/echo:0.1.0')!.digest).toBe(first.digest);

    const forced = await store.put('cdnfaas/echo:0.1.0', stage(v2), meta, { force: true });
    expect(forced).toMatchObject({ outcome: 'replaced', previousDigest: first.digest });
    expect(store.resolve('cdnfaas/echo:0.1.0')!.digest).toBe(forced.digest);
    // The old content stays for replicas still running it, until pruned.
    expect(existsSync(join(root, 'images/sha256', first.digest.slice(7)))).toBe(true);
    expect(await store.prune()).toEqual([first.digest]);
  });

  it('shares content between tags and stores each file once', async () => {
    const first = await store.put('cdnfaas/echo:0.1.0', stage(v1), meta);
    const again = await store.put('cdnfaas/echo:latest', stage(v1), meta);
    expect(again).toMatchObject({ outcome: 'tagged', digest: first.digest });
    const second = await store.put('cdnfaas/echo:0.2.0', stage(v2), meta);
    const model1 = statSync(join(store.resolve('cdnfaas/echo:0.1.0')!.dir, 'function/model/m.bin'));
    const model2 = statSync(join(store.resolve('cdnfaas/echo:0.2.0')!.dir, 'function/model/m.bin'));
    expect(model2.ino).toBe(model1.ino);
    expect(second.digest).not.toBe(first.digest);
    expect(store.list().map((image) => [image.ref, image.digest])).toEqual([
      ['cdnfaas/echo:0.1.0', first.digest],
      ['cdnfaas/echo:0.2.0', second.digest],
      ['cdnfaas/echo:latest', first.digest],
    ]);
  });

  it('removes a tag, and the content once no tag uses it', async () => {
    const first = await store.put('cdnfaas/echo:0.1.0', stage(v1), meta);
    await store.put('cdnfaas/echo:latest', stage(v1), meta);
    expect(await store.remove('cdnfaas/echo:0.1.0')).toEqual({
      ref: 'cdnfaas/echo:0.1.0',
      digest: first.digest,
      contentRemoved: false,
    });
    expect(await store.remove('cdnfaas/echo:latest')).toMatchObject({ contentRemoved: true });
    expect(store.resolve('cdnfaas/echo:latest')).toBeUndefined();
    expect(isCdnfaasError(await caught(store.remove('cdnfaas/echo:latest')), 'NOT_FOUND')).toBe(true);
  });

  it('answers undefined for unknown images and INVALID_INPUT for references with path tricks', () => {
    expect(store.resolve('cdnfaas/none:1')).toBeUndefined();
    for (const ref of ['../../etc:1', '/tmp/x', 'a/../b']) {
      expect(() => store.resolve(ref)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(ref) }),
      );
    }
  });

  it('sees tags written by another store instance (another process)', async () => {
    const other = new LocalImageStore(store.root);
    expect(other.resolve('cdnfaas/echo:0.1.0')).toBeUndefined();
    const result = await store.put('cdnfaas/echo:0.1.0', stage(v1), meta);
    expect(other.resolve('cdnfaas/echo:0.1.0')?.digest).toBe(result.digest);
  });

  it('lets concurrent builds of the same content agree on one image', async () => {
    const results = await Promise.all([0, 1, 2].map(() => store.put('cdnfaas/echo:0.1.0', stage(v1), meta)));
    expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'unchanged', 'unchanged']);
  });

  it('refuses a function file named manifest.json', async () => {
    await expect(
      store.put('cdnfaas/echo:0.1.0', stage({ ...v1, 'manifest.json': '{}' }), meta),
    ).rejects.toThrow(/reserved/);
  });
});

describe('a damaged index', () => {
  it('is reported as CONFIG_INVALID naming the file, not as a crash', async () => {
    await store.put('cdnfaas/echo:0.1.0', stage(v1), meta);
    writeFileSync(join(store.root, 'index.json'), '{"schemaVersion":1,"tags":');
    const fresh = new LocalImageStore(store.root);
    expect(() => fresh.resolve('cdnfaas/echo:0.1.0')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('index.json') }),
    );
  });
});
