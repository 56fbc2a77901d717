import { describe, expect, it } from 'vitest';
import { inheritedEnv, initialReplicas, needsRollout, withProviderLabels } from './deployment-rules.ts';
import type { FunctionSpec } from '../../contracts/openfaas/function.ts';

const spec: FunctionSpec = {
  name: 'echo',
  image: 'cdnfaas/echo:1.0.0',
  envVars: { A: '1', B: '2' },
  constraints: [],
  secrets: ['s1', 's2'],
  labels: { team: 'cdn' },
  annotations: {},
  readOnlyRootFilesystem: false,
};

describe('needsRollout', () => {
  const inputs = (next: Partial<FunctionSpec>, imageDigest = 'd1', secretsDigest = 's1') => ({
    spec: { ...spec, ...next },
    imageDigest,
    secretsDigest,
  });
  const before = inputs({});

  it.each([
    ['the same spec', inputs({}), false],
    [
      'maps and secrets in another order',
      inputs({ envVars: { B: '2', A: '1' }, secrets: ['s2', 's1'], labels: { team: 'cdn' } }),
      false,
    ],
    ['new content under the same tag', inputs({}, 'd2'), true],
    ['another tag of the same content', inputs({ image: 'cdnfaas/echo:2.0.0' }), true],
    ['another environment', inputs({ envVars: { A: '1' } }), true],
    ['another secret', inputs({ secrets: ['s1'] }), true],
    ['a secret with a new value', inputs({}, 'd1', 's2'), true],
    ['another process', inputs({ envProcess: 'node other.mjs' }), true],
    ['another label', inputs({ labels: { team: 'edge' } }), true],
    ['an annotation added', inputs({ annotations: { topic: 't' } }), true],
    ['another memory limit', inputs({ limits: { memory: '256Mi' } }), true],
    ['another cpu limit', inputs({ limits: { cpu: '500m' } }), true],
    ['another request', inputs({ requests: { memory: '64Mi' } }), true],
    ['another constraint', inputs({ constraints: ['node=a'] }), true],
    ['a read-only root filesystem', inputs({ readOnlyRootFilesystem: true }), true],
  ])('%s -> %s', (_name, next, expected) => {
    expect(needsRollout(before, next)).toBe(expected);
  });
});

describe('withProviderLabels', () => {
  it.each([
    [{}, { faas_function: 'echo' }],
    [{ team: 'cdn' }, { team: 'cdn', faas_function: 'echo' }],
    [{ faas_function: 'other' }, { faas_function: 'echo' }],
  ])('%j -> %j', (labels, expected) => {
    expect(withProviderLabels({ ...spec, labels }).labels).toEqual(expected);
  });
});

describe('initialReplicas', () => {
  it.each([
    [{}, 1],
    [{ 'com.openfaas.scale.min': '3' }, 3],
    [{ 'com.openfaas.scale.min': '0' }, 0],
  ])('%j -> %i', (labels, expected) => expect(initialReplicas(labels, 16)).toBe(expected));

  it.each(['-1', '1.5', 'two', '17'])('refuses %s', (value) => {
    expect(() => initialReplicas({ 'com.openfaas.scale.min': value }, 16)).toThrow(/com.openfaas.scale.min/);
  });
});

describe('inheritedEnv', () => {
  it('passes only the allow-listed variables', () => {
    expect(
      inheritedEnv({ PATH: '/bin', HOME: '/root', INFLUX_TOKEN: 'secret', NODE_OPTIONS: '--inspect' }),
    ).toEqual({ PATH: '/bin', HOME: '/root' });
  });
});
