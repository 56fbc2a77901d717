import { describe, expect, it } from 'vitest';
import { describeNamespace } from './namespace.ts';
import { cdnfaasErrorFrom } from '../../../test/support/thrown.ts';

describe('describeNamespace', () => {
  it('describes openfaas-fn as a namespace OpenFaaS deploys to', () => {
    expect(describeNamespace('openfaas-fn')).toEqual({
      name: 'openfaas-fn',
      annotations: { openfaas: '1' },
      labels: { role: 'openfaas-fn' },
    });
  });

  it.each(['openfaas', 'dev', '', 'openfaas-fn2'])('%j is NOT_FOUND naming the one namespace', (name) => {
    const error = cdnfaasErrorFrom(() => describeNamespace(name), 'NOT_FOUND');
    expect(error.message).toBe(`namespace ${JSON.stringify(name)} not found`);
    expect(error.hint).toContain('openfaas-fn');
  });
});
