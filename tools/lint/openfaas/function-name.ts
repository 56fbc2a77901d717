import { ceLimits, dns1035Label, faasNetesServiceName } from '../ce-limits.ts';
import { finding, perFunction } from './finding.ts';
import type { Rule } from '../types.ts';

export const functionNameRule: Rule = {
  id: 'function-name',
  summary: 'function names are DNS labels: a-z first, then a-z, 0-9 and "-", at most 63 characters',
  check: perFunction((fn) => {
    const why =
      'faas-netes refuses names that are not lowercase RFC 1123 labels ("must be a valid DNS entry"), and Kubernetes needs the Service name to start with a letter and to fit in 63 characters';
    if (fn.name.length > ceLimits.maxNameLength) {
      return [
        finding(
          'function-name',
          'error',
          fn,
          `function name "${fn.name}" has ${fn.name.length} characters (at most ${ceLimits.maxNameLength})`,
          why,
        ),
      ];
    }
    if (!faasNetesServiceName.test(fn.name)) {
      return [
        finding(
          'function-name',
          'error',
          fn,
          `function name "${fn.name}" is not a DNS label (use a-z, 0-9 and "-")`,
          why,
        ),
      ];
    }
    if (!dns1035Label.test(fn.name)) {
      return [finding('function-name', 'error', fn, `function name "${fn.name}" starts with a digit`, why)];
    }
    return [];
  }),
};
