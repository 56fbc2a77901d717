import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../../lib/errors.ts';
import { describeNamespace } from './namespace.ts';

describe('describeNamespace', () => {
  it('describes openfaas-fn as a namespace OpenFaaS deploys to', () => {
    expect(describeNamespace('openfaas-fn')).toEqual({
      name: 'openfaas-fn',
      annotations: { openfaas: '1' },
      labels: { role: 'openfaas-fn' },
    });
  });

  it.each(['openfaas', 'dev', '', 'openfaas-fn2'])('%j is NOT_FOUND naming the one namespace', (name) => {
    let caught: unknown;
    try {
      describeNamespace(name);
    } catch (error) {
      caught = error;
    }
    expect(isCdnfaasError(caught, 'NOT_FOUND')).toBe(true);
    expect((caught as Error).message).toBe(`namespace ${JSON.stringify(name)} not found`);
    expect((caught as { hint: string }).hint).toContain('openfaas-fn');
  });
});
