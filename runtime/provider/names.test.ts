import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import {
  assertFunctionName,
  assertNamespace,
  assertSecretName,
  isFunctionName,
  splitQualifiedName,
} from './names.ts';

describe('function names', () => {
  it.each(['predict', 'load-data', 'a', 'f1', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(isFunctionName(name)).toBe(true);
    expect(assertFunctionName(name)).toBe(name);
  });

  it.each(['', 'Predict', 'load_data', '-a', 'a-', 'a.b', '../etc', 'a/b', 'a'.repeat(64), 'ünï'])(
    'rejects %j as INVALID_INPUT',
    (name) => {
      expect(isFunctionName(name)).toBe(false);
      try {
        assertFunctionName(name);
        expect.unreachable();
      } catch (error) {
        expect(isCdnfaasError(error, 'INVALID_INPUT')).toBe(true);
        expect((error as Error).message).toContain('DNS-1123');
      }
    },
  );

  it('rejects non-strings', () => {
    expect(() => assertFunctionName(42)).toThrow(/DNS-1123/);
  });
});

describe('secret names', () => {
  it.each(['influxdb-token', 'a.b', 'x1'])('accepts %s', (name) => expect(assertSecretName(name)).toBe(name));
  it.each(['..', '../x', 'a/b', '.a', 'a..b', 'A', ''])('rejects %j', (name) =>
    expect(() => assertSecretName(name)).toThrow(/DNS-1123/),
  );
});

describe('namespaces', () => {
  it.each([undefined, null, '', 'openfaas-fn'])('defaults %j to openfaas-fn', (ns) =>
    expect(assertNamespace(ns)).toBe('openfaas-fn'),
  );
  it('rejects any other namespace naming the one served', () => {
    expect(() => assertNamespace('staging-fn')).toThrow(/staging-fn/);
  });
});

describe('qualified names in /function/{name}', () => {
  it.each([
    ['echo', 'echo', 'openfaas-fn'],
    ['echo.openfaas-fn', 'echo', 'openfaas-fn'],
    ['echo.dev', 'echo', 'dev'],
    ['a.b.c', 'a.b', 'c'],
    ['.hidden', '.hidden', 'openfaas-fn'],
  ])('%s -> %s in %s', (qualified, name, namespace) => {
    expect(splitQualifiedName(qualified)).toEqual({ name, namespace });
  });
});
