import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import { substituteEnvironment } from './envsubst.ts';
import { matchesFilter, parseStack } from './stack-file.ts';

const stack = `
version: 1.0
provider:
  name: openfaas
  gateway: http://127.0.0.1:8080
functions:
  predict:
    lang: node20-ts
    handler: ./functions/predict
    image: cdnfaas/predict:\${PREDICT_TAG:-0.1.0}
    labels:
      com.openfaas.scale.min: 1
    annotations:
      topic: cdn_data
    environment:
      exec_timeout: 30s
      THRESHOLD: 0.5
    environment_file: [env/common.yml]
    secrets: [influxdb-token]
    limits: { memory: 256Mi, cpu: 500m }
    build_args: { NODE_ENV: production }
  echo:
    lang: node20-ts
    handler: echo
    image: cdnfaas/echo
`;

function errorOf(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseStack', () => {
  const parsed = parseStack(stack, {
    file: '/project/stack.yml',
    env: { PREDICT_TAG: '0.3.0' },
    readEnvironmentFile: (path): Record<string, string> =>
      path === '/project/env/common.yml' ? { THRESHOLD: '0.9', FROM_FILE: 'yes' } : {},
  });

  it('reads the provider and functions, sorted by name, paths resolved against the stack file', () => {
    expect(parsed.provider).toEqual({ name: 'openfaas', gateway: 'http://127.0.0.1:8080' });
    expect(parsed.functions.map((fn) => fn.name)).toEqual(['echo', 'predict']);
    expect(parsed.functions[0]).toMatchObject({
      handler: '/project/echo',
      image: 'cdnfaas/echo',
      imageRef: 'cdnfaas/echo:latest',
    });
  });

  it('substitutes the environment, turns scalars into strings and lets inline environment win over files', () => {
    const predict = parsed.functions[1]!;
    expect(predict.image).toBe('cdnfaas/predict:0.3.0');
    expect(predict.labels).toEqual({ 'com.openfaas.scale.min': '1' });
    expect(predict.environment).toEqual({ exec_timeout: '30s', THRESHOLD: '0.5', FROM_FILE: 'yes' });
    expect(predict).toMatchObject({
      secrets: ['influxdb-token'],
      annotations: { topic: 'cdn_data' },
      limits: { memory: '256Mi', cpu: '500m' },
      buildArgs: { NODE_ENV: 'production' },
      environmentFiles: ['/project/env/common.yml'],
      skipBuild: false,
    });
  });

  it.each([
    ['a function name that is not DNS-1123', stack.replace('  echo:\n', '  Echo_Fn:\n'), 'functions.Echo_Fn'],
    [
      'an image with a path trick',
      stack.replace('image: cdnfaas/echo', 'image: ../../etc/passwd'),
      'functions.echo.image',
    ],
    ['a misspelt key', stack.replace('    annotations:', '    anotations:'), 'unknown key(s) anotations'],
    ['a missing handler', stack.replace('    handler: echo\n', ''), 'functions.echo.handler'],
    [
      'a secret name with a slash',
      stack.replace('[influxdb-token]', '[../token]'),
      'functions.predict.secrets.0',
    ],
    ['a gateway that is not a URL', stack.replace('http://127.0.0.1:8080', 'nowhere'), 'provider.gateway'],
  ])('refuses %s, naming the key', (_what, text, key) => {
    const error = errorOf(() =>
      parseStack(text, { file: '/project/stack.yml', env: {}, readEnvironmentFile: () => ({}) }),
    );
    expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
    expect(error.message).toContain('/project/stack.yml');
    expect(error.message).toContain(key);
  });

  it('refuses YAML that does not parse', () => {
    expect(
      isCdnfaasError(
        errorOf(() => parseStack('functions: [', { env: {} })),
        'INVALID_INPUT',
      ),
    ).toBe(true);
  });
});

describe('substituteEnvironment', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x'],
    ['$A/b', { A: 'x' }, 'x/b'],
    ['${A:-d}', {}, 'd'],
    ['${A:-d}', { A: '' }, 'd'],
    ['${A-d}', { A: '' }, ''],
    ['${A}', {}, ''],
    ['cost: $$5', {}, 'cost: $5'],
  ])('%s with %j -> %s', (text, env, expected) => {
    expect(substituteEnvironment(text, env)).toBe(expected);
  });
});

describe('matchesFilter', () => {
  it.each([
    ['predict', undefined, true],
    ['predict', 'predict', true],
    ['predict', 'pred', false],
    ['load-data', 'load-*', true],
    ['provide', '*e', true],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false],
  ])('%s with filter %s -> %s', (name, filter, expected) => {
    expect(matchesFilter(name, filter)).toBe(expected);
  });
});
