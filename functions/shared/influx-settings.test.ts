import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdnfaasError } from '../../lib/errors.ts';
import { describeInfluxSettings, readInfluxSettings } from './influx-settings.ts';
import { readSecret, secretCandidates } from './secrets.ts';

const env = {
  INFLUX_URL: 'http://127.0.0.1:8086',
  INFLUX_ORG: 'cdnfaas',
  INFLUX_BUCKET: 'cdn_client_data_storage',
};

describe('readInfluxSettings', () => {
  it('reads url, org and bucket from the environment and the token from the secret', () => {
    expect(readInfluxSettings(env, () => 's3cret')).toEqual({
      url: 'http://127.0.0.1:8086',
      org: 'cdnfaas',
      bucket: 'cdn_client_data_storage',
      token: 's3cret',
      timeoutMs: 10_000,
    });
  });

  it.each([
    ['INFLUX_URL', { ...env, INFLUX_URL: undefined }],
    ['INFLUX_URL', { ...env, INFLUX_URL: 'ftp://influx' }],
    ['INFLUX_BUCKET', { ...env, INFLUX_BUCKET: '' }],
    ['INFLUX_TIMEOUT_MS', { ...env, INFLUX_TIMEOUT_MS: 'soon' }],
  ])('names %s when it is missing or malformed', (name, bad) => {
    expect(() => readInfluxSettings(bad, () => 'x')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(name) }),
    );
  });

  it('keeps the token out of what may be logged', () => {
    const visible = describeInfluxSettings(readInfluxSettings(env, () => 's3cret'));
    expect(JSON.stringify(visible)).not.toContain('s3cret');
    expect(visible.url).toBe(env.INFLUX_URL);
  });
});

describe('readSecret', () => {
  it('reads the secret from CDNFAAS_SECRETS_DIR, trimmed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-secrets-'));
    writeFileSync(join(dir, 'influxdb-token'), 'tok3n\n');
    expect(readSecret('influxdb-token', { CDNFAAS_SECRETS_DIR: dir })).toBe('tok3n');
  });

  it('looks in the local folder first, then where OpenFaaS mounts secrets', () => {
    expect(secretCandidates('influxdb-token', { CDNFAAS_SECRETS_DIR: '/s' })).toEqual([
      '/s/influxdb-token',
      '/var/openfaas/secrets/influxdb-token',
    ]);
    expect(secretCandidates('influxdb-token', {})).toEqual(['/var/openfaas/secrets/influxdb-token']);
  });

  it('fails naming the files it tried and how to grant the secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-secrets-'));
    try {
      readSecret('influxdb-token', { CDNFAAS_SECRETS_DIR: dir });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CdnfaasError);
      expect((error as CdnfaasError).code).toBe('CONFIG_NOT_FOUND');
      expect((error as CdnfaasError).message).toContain(join(dir, 'influxdb-token'));
      expect((error as CdnfaasError).hint).toContain('faas-cli secret create influxdb-token');
    }
  });
});
