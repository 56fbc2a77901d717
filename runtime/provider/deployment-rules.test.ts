import { describe, expect, it } from 'vitest';
import { inheritedEnv, initialReplicas, needsRollout } from './deployment-rules.ts';
import type { FunctionSpec } from './types.ts';

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
  it.each([
    ['the same spec', spec, 'd1', false],
    [
      'labels and annotations only',
      { ...spec, labels: { team: 'edge' }, annotations: { topic: 't' } },
      'd1',
      false,
    ],
    [
      'env and secrets in another order',
      { ...spec, envVars: { B: '2', A: '1' }, secrets: ['s2', 's1'] },
      'd1',
      false,
    ],
    ['new content under the same tag', spec, 'd2', true],
    ['another tag of the same content', { ...spec, image: 'cdnfaas/echo:2.0.0' }, 'd1', true],
    ['another environment', { ...spec, envVars: { A: '1' } }, 'd1', true],
    ['another secret', { ...spec, secrets: ['s1'] }, 'd1', true],
    ['another process', { ...spec, envProcess: 'node other.mjs' }, 'd1', true],
    ['another memory limit', { ...spec, limits: { memory: '256Mi' } }, 'd1', true],
  ])('%s -> %s', (_name, next, digest, expected) => {
    expect(needsRollout(spec, 'd1', next as FunctionSpec, digest as string)).toBe(expected);
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
