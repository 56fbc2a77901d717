import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import type { FunctionStatus } from '../../contracts/openfaas/function.ts';
import { functionDeploymentSchema, secretSchema } from '../../contracts/openfaas/requests.ts';
import { parseBody, toFunctionSpec, toWireStatus } from './wire.ts';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('FunctionDeployment from faas-cli', () => {
  it('reads what faas-cli deploy -f sends, with Go nulls as empty', () => {
    const parsed = parseBody(
      body({
        service: 'echo',
        image: 'cdnfaas/echo:0.1.0',
        envProcess: 'node index.mjs',
        labels: null,
        annotations: { topic: 'cdn_raw' },
        limits: { memory: '128Mi' },
        unknownField: 1,
      }),
      functionDeploymentSchema,
      'FunctionDeployment',
    );
    expect(toFunctionSpec(parsed)).toEqual({
      name: 'echo',
      image: 'cdnfaas/echo:0.1.0',
      envProcess: 'node index.mjs',
      envVars: {},
      constraints: [],
      secrets: [],
      labels: {},
      annotations: { topic: 'cdn_raw' },
      limits: { memory: '128Mi' },
      readOnlyRootFilesystem: false,
    });
  });

  it('drops empty resource objects and an empty envProcess', () => {
    const parsed = parseBody(
      body({ service: 'echo', image: 'x:1', envProcess: '', requests: {} }),
      functionDeploymentSchema,
      'FunctionDeployment',
    );
    const spec = toFunctionSpec(parsed);
    expect(spec).not.toHaveProperty('envProcess');
    expect(spec).not.toHaveProperty('requests');
  });

  it.each([
    ['', 'expected a JSON FunctionDeployment'],
    ['{', 'malformed JSON in the FunctionDeployment'],
    ['[]', 'invalid FunctionDeployment'],
    ['{"service":"echo"}', 'image'],
    ['{"service":"echo","image":"x:1","secrets":"a"}', 'secrets'],
  ])('%j is INVALID_INPUT naming the problem', (text, message) => {
    try {
      parseBody(body(text), functionDeploymentSchema, 'FunctionDeployment');
      expect.unreachable();
    } catch (error) {
      expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });

  it('rejects another namespace', () => {
    const parsed = parseBody(
      body({ service: 'echo', image: 'x:1', namespace: 'dev' }),
      functionDeploymentSchema,
      'FunctionDeployment',
    );
    expect(() => toFunctionSpec(parsed)).toThrow(/namespace "dev"/);
  });
});

describe('Secret', () => {
  it('accepts rawValue as base64, as Go encodes []byte', () => {
    expect(parseBody(body({ name: 'k', rawValue: 'aGk=' }), secretSchema, 'Secret').rawValue).toBe('aGk=');
    expect(() => parseBody(body({ name: 'k', rawValue: 'not base64!' }), secretSchema, 'Secret')).toThrow(
      /rawValue/,
    );
  });
});

describe('FunctionStatus on the wire', () => {
  const status: FunctionStatus = {
    name: 'echo',
    image: 'cdnfaas/echo:0.1.0',
    namespace: 'openfaas-fn',
    envVars: {},
    constraints: [],
    secrets: [],
    labels: { faas_function: 'echo' },
    annotations: {},
    readOnlyRootFilesystem: false,
    invocationCount: 0,
    replicas: 1,
    availableReplicas: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  it.each([
    ['envVars', { envVars: {} }, undefined],
    ['envVars', { envVars: { A: '1' } }, { A: '1' }],
    ['constraints', { constraints: [] }, undefined],
    ['constraints', { constraints: ['node=a'] }, ['node=a']],
    ['secrets', { secrets: [] }, undefined],
    ['secrets', { secrets: ['influxdb-token'] }, ['influxdb-token']],
  ])('%s %j is sent as %j (omitempty)', (field, change, expected) => {
    const wire = toWireStatus({ ...status, ...change }) as unknown as Record<string, unknown>;
    if (expected === undefined) expect(wire).not.toHaveProperty(field);
    else expect(wire[field]).toEqual(expected);
  });

  it('keeps labels and annotations, as faas-provider sends the maps it holds', () => {
    expect(toWireStatus(status)).toMatchObject({ labels: { faas_function: 'echo' }, annotations: {} });
  });
});
