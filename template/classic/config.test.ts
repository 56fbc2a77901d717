import { describe, expect, it } from 'vitest';
import { formatDuration, readBoolSetting, readTimeoutSetting, readWatchdogConfig } from './config.ts';
import { cdnfaasErrorFrom } from '../../test/support/thrown.ts';

describe('readTimeoutSetting (readconfig.go parseIntOrDurationValue)', () => {
  it.each([
    [undefined, 30_000],
    ['', 30_000],
    ['5', 5_000],
    ['0', 0],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['1.5', 30_000],
    ['soon', 30_000],
    ['-5', 30_000],
  ])('%j -> %s ms', (text, ms) => expect(readTimeoutSetting(text, 30_000)).toBe(ms));
});

describe('readBoolSetting (only "true" is true; unset keeps the default)', () => {
  it.each([
    [undefined, true, true],
    ['', false, false],
    ['true', false, true],
    ['TRUE', true, false],
    ['1', true, false],
    ['false', true, false],
  ])('%j with default %s -> %s', (text, fallback, value) =>
    expect(readBoolSetting(text, fallback)).toBe(value),
  );
});

describe('readWatchdogConfig', () => {
  it('has the classic defaults', () => {
    expect(readWatchdogConfig({ fprocess: 'cat' })).toMatchObject({
      argv: ['cat'],
      port: 8080,
      host: '127.0.0.1',
      readTimeoutMs: 30_000,
      writeTimeoutMs: 30_000,
      execTimeoutMs: 0,
      healthcheckIntervalMs: 30_000,
      writeDebug: false,
      cgiHeaders: true,
      combineOutput: true,
      contentType: '',
      maxInflight: 0,
      unsupported: [],
    });
  });

  it('reads every setting, PORT over port, healthcheck_interval defaulting to write_timeout', () => {
    expect(
      readWatchdogConfig({
        fprocess: 'python3 handler.py',
        PORT: '4000',
        port: '9000',
        read_timeout: '5',
        write_timeout: '7s',
        exec_timeout: '2s',
        write_debug: 'true',
        cgi_headers: 'false',
        combine_output: 'false',
        content_type: 'application/json',
        max_inflight: '3',
        marshal_request: 'true',
        CDNFAAS_FUNCTION: 'hash',
        CDNFAAS_REPLICA: 'hash-r1-0',
      }),
    ).toMatchObject({
      argv: ['python3', 'handler.py'],
      port: 4000,
      readTimeoutMs: 5_000,
      writeTimeoutMs: 7_000,
      execTimeoutMs: 2_000,
      healthcheckIntervalMs: 7_000,
      writeDebug: true,
      cgiHeaders: false,
      combineOutput: false,
      contentType: 'application/json',
      maxInflight: 3,
      functionName: 'hash',
      replicaId: 'hash-r1-0',
      unsupported: ['marshal_request'],
    });
  });

  it.each([
    [{}, 'Provide a valid process via fprocess environmental variable.'],
    [{ fprocess: '  ' }, 'Provide a valid process via fprocess environmental variable.'],
    [{ fprocess: "sh -c 'x" }, 'quote is not closed'],
    [{ fprocess: 'cat', PORT: '70000' }, 'is not a TCP port'],
  ])('%j is CONFIG_INVALID', (env, message) => {
    const error = cdnfaasErrorFrom(() => readWatchdogConfig(env), 'CONFIG_INVALID');
    expect(error.message).toContain(message);
  });
});

describe('formatDuration (Go time.Duration.String for whole milliseconds)', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [30_000, '30s'],
    [1_500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
  ])('%s ms -> %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
