import { describe, expect, it } from 'vitest';
import { parseByteSize, parseDuration, readSettings } from './settings.ts';

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['30', 30_000],
    ['0', 0],
    ['0s', 0],
    ['ten seconds', undefined],
    ['10x', undefined],
    ['-1s', undefined],
    ['', undefined],
  ])('%j -> %s ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe('parseByteSize', () => {
  it.each([
    ['100kb', 102_400],
    ['4mb', 4_194_304],
    ['1.5MB', 1_572_864],
    ['2048', 2048],
    ['1 gb', 1_073_741_824],
    ['lots', undefined],
    ['5pb', undefined],
  ])('%j -> %s bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));
});

describe('readSettings', () => {
  it('has OpenFaaS defaults', () => {
    expect(readSettings({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      execTimeoutMs: 10_000,
      maxInflight: 0,
      maxBodyBytes: 10_485_760,
      rawBody: false,
    });
  });

  it('reads the local runtime and of-watchdog variables, PORT over http_port', () => {
    const settings = readSettings({
      PORT: '8081',
      http_port: '3001',
      CDNFAAS_FUNCTION: 'predict',
      CDNFAAS_REPLICA: 'predict-2',
      exec_timeout: '2s',
      max_inflight: '4',
      max_body_size: '1mb',
      RAW_BODY: 'true',
    });
    expect(settings).toEqual({
      port: 8081,
      host: '127.0.0.1',
      functionName: 'predict',
      replicaId: 'predict-2',
      execTimeoutMs: 2000,
      maxInflight: 4,
      maxBodyBytes: 1_048_576,
      rawBody: true,
    });
  });

  it.each([
    [{ exec_timeout: 'soon' }, 'exec_timeout="soon"'],
    [{ max_inflight: '-2' }, 'max_inflight="-2"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ max_body_size: 'big' }, 'max_body_size="big"'],
  ])('names the malformed variable in %j', (env, named) => {
    expect(() => readSettings(env)).toThrow(named);
  });
});
