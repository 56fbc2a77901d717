import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBasicAuth, ensureCredentials } from './credentials.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('gateway credentials', () => {
  it('creates admin and a random password once, owner-readable only, and keeps them', () => {
    const home = mkdtempSync(join(tmpdir(), 'cdnfaas-cred-'));
    const first = ensureCredentials(home);
    expect(first.created).toBe(true);
    expect(first.user).toBe('admin');
    expect(first.password.length).toBeGreaterThanOrEqual(32);
    expect(statSync(first.files.passwordFile).mode & 0o777).toBe(0o600);
    expect(statSync(first.files.dir).mode & 0o777).toBe(0o700);
    const second = ensureCredentials(home);
    expect(second.created).toBe(false);
    expect(second.password).toBe(first.password);
    expect(ensureCredentials(mkdtempSync(join(tmpdir(), 'cdnfaas-cred-'))).password).not.toBe(first.password);
  });
});

describe('checkBasicAuth', () => {
  const credentials = { user: 'admin', password: 's3cret:with:colons' };
  it.each([
    ['the right pair', basic('admin', 's3cret:with:colons'), true],
    ['a wrong password', basic('admin', 's3cret'), false],
    ['a longer password', basic('admin', 's3cret:with:colons!'), false],
    ['a wrong user', basic('root', 's3cret:with:colons'), false],
    ['no header', undefined, false],
    ['a bearer token', 'Bearer abc', false],
    ['garbage', 'Basic !!!', false],
    ['no colon', `Basic ${Buffer.from('admin').toString('base64')}`, false],
  ])('%s -> %s', (_name, header, expected) => {
    expect(checkBasicAuth(header, credentials)).toBe(expected);
  });
});
