import { finding } from './finding.ts';
import type { Finding, Rule } from '../types.ts';

export const providerRule: Rule = {
  id: 'provider',
  summary: 'provider.name is openfaas and version is 1.0',
  check: (stack) => {
    const findings: Finding[] = [];
    if (stack.providerName !== undefined && stack.providerName !== 'openfaas') {
      findings.push(
        finding(
          'provider',
          'error',
          undefined,
          `provider.name is "${stack.providerName}"`,
          'faas-cli refuses any provider name but "openfaas"',
        ),
      );
    }
    if (stack.version !== undefined && stack.version !== '1.0') {
      findings.push(
        finding(
          'provider',
          'error',
          undefined,
          `version is "${stack.version}"`,
          'faas-cli accepts only stack file version 1.0',
        ),
      );
    }
    return findings;
  },
};
