import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from './lock.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'cdnfaas-lock-'));

describe('withFileLock', () => {
  it('holds the file while the work runs and removes it afterwards, also on failure', async () => {
    const file = join(dir(), 'services.lock');
    const seen = await withFileLock(file, { timeoutMs: 1_000 }, async () => existsSync(file));
    expect(seen).toBe(true);
    expect(existsSync(file)).toBe(false);
    await expect(
      withFileLock(file, { timeoutMs: 1_000 }, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(existsSync(file)).toBe(false);
  });

  it('serialises two calls in one process', async () => {
    const file = join(dir(), 'services.lock');
    const order: string[] = [];
    const waited: number[] = [];
    const slow = (name: string) => async () => {
      order.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push(`${name} end`);
    };
    await Promise.all([
      withFileLock(file, { timeoutMs: 5_000 }, slow('a')),
      withFileLock(file, { timeoutMs: 5_000, onWait: (pid) => waited.push(pid) }, slow('b')),
    ]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(waited).toEqual([process.pid]);
  });

  it('takes over a lock whose holder no longer runs', async () => {
    const file = join(dir(), 'services.lock');
    writeFileSync(file, '999999999\n');
    await expect(withFileLock(file, { timeoutMs: 1_000 }, async () => 'ran')).resolves.toBe('ran');
  });

  it('gives up with TIMEOUT naming the holder when it is alive', async () => {
    const file = join(dir(), 'services.lock');
    writeFileSync(file, '1\n'); // pid 1 is always alive
    const waited: number[] = [];
    const error = await withFileLock(
      file,
      { timeoutMs: 300, onWait: (pid) => waited.push(pid) },
      async () => 'ran',
    ).catch((e) => e);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('pid 1');
    expect(waited).toEqual([1]);
  });
});
