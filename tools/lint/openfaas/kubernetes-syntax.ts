import { dns1123Subdomain, labelValuePattern, qualifiedKeyPattern } from '../ce-limits.ts';
import { finding, perFunction } from './finding.ts';
import type { LintFunction } from '../stack-view.ts';
import type { Finding, Rule } from '../types.ts';

/** Everything this rule finds is an error Kubernetes would refuse. */
const syntaxError = (fn: LintFunction, message: string, why: string): Finding =>
  finding('kubernetes-syntax', 'error', fn, message, why);

/** Label and annotation keys follow the same rule: an optional DNS prefix, then a name. */
function unqualifiedKey(fn: LintFunction, kind: 'label' | 'annotation', key: string): Finding[] {
  if (qualifiedKeyPattern.test(key)) return [];
  return [
    syntaxError(
      fn,
      `${kind} key "${key}" is not a Kubernetes qualified name`,
      'Kubernetes refuses the Deployment OpenFaaS creates',
    ),
  ];
}

export const kubernetesSyntaxRule: Rule = {
  id: 'kubernetes-syntax',
  summary: 'label keys/values, annotation keys and secret names are valid Kubernetes names',
  check: perFunction((fn) => {
    const findings: Finding[] = [];
    for (const [key, value] of Object.entries(fn.labels)) {
      findings.push(...unqualifiedKey(fn, 'label', key));
      if (value.length > 63 || !labelValuePattern.test(value)) {
        findings.push(
          syntaxError(
            fn,
            `label ${key}: "${value}" is not a valid label value`,
            'label values are at most 63 characters of a-z, 0-9, "-", "_", "." (no commas or slashes): Kubernetes refuses the Deployment. Put settings like this in annotations.',
          ),
        );
      }
    }
    for (const key of Object.keys(fn.annotations)) findings.push(...unqualifiedKey(fn, 'annotation', key));
    for (const secret of fn.secrets) {
      if (secret.length > 253 || !dns1123Subdomain.test(secret)) {
        findings.push(
          syntaxError(
            fn,
            `secret name "${secret}" is not a DNS-1123 name`,
            'OpenFaaS secrets are Kubernetes Secrets: lowercase a-z, 0-9, "-" and "."',
          ),
        );
      }
    }
    return findings;
  }),
};
