import { ceLimits } from '../ce-limits.ts';
import { finding, perFunction } from './finding.ts';
import type { Rule } from '../types.ts';

export const namespaceRule: Rule = {
  id: 'namespace',
  summary: `functions deploy to ${ceLimits.functionNamespace} (CE has no other function namespace)`,
  check: perFunction((fn) =>
    fn.namespace !== undefined && fn.namespace !== '' && fn.namespace !== ceLimits.functionNamespace
      ? [
          finding(
            'namespace',
            'error',
            fn,
            `namespace is "${fn.namespace}"`,
            `OpenFaaS CE answers "namespace must be: ${ceLimits.functionNamespace}"; multiple function namespaces are an OpenFaaS Standard feature. Remove the key.`,
          ),
        ]
      : [],
  ),
};
