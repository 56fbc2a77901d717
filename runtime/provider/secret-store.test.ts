import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretStore, secretsDigest } from './secret-store.ts';
import { cdnfaasErrorFrom } from '../../test/support/thrown.ts';

const secret = (name: string, value: string) => ({ name, value: Buffer.from(value) });

describe('secretsDigest', () => {
  const base = secretsDigest([secret('a', 'x'), secret('b', 'y')]);
  it.each([
    ['the same secrets', [secret('a', 'x'), secret('b', 'y')], true],
    ['a new value', [secret('a', 'x'), secret('b', 'z')], false],
    ['a value moved across the name boundary', [secret('a', 'xb'), secret('', 'y')], false],
    ['one secret fewer', [secret('a', 'x')], false],
    ['another name', [secret('a', 'x'), secret('c', 'y')], false],
  ])('%s -> equal %s', (_name, secrets, equal) => {
    expect(secretsDigest(secrets) === base).toBe(equal);
  });
});

describe('SecretStore.digest', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const store = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-secrets-'));
    dirs.push(dir);
    return new SecretStore(dir);
  };

  it('changes with a value, not with the order the names are listed in', () => {
    const secrets = store();
    secrets.create('a', Buffer.from('1'));
    secrets.create('b', Buffer.from('2'));
    const before = secrets.digest(['a', 'b']);
    expect(secrets.digest(['b', 'a'])).toBe(before);
    secrets.update('b', Buffer.from('3'));
    expect(secrets.digest(['a', 'b'])).not.toBe(before);
    expect(secrets.digest([])).toBe(secretsDigest([]));
  });

  it('names a missing secret as INVALID_INPUT', () => {
    const error = cdnfaasErrorFrom(() => store().digest(['influxdb-token']), 'INVALID_INPUT');
    expect(error.message).toBe('unable to find secret: influxdb-token');
  });
});
