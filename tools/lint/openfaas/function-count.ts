import { ceLimits } from '../ce-limits.ts';
import { finding } from './finding.ts';
import type { Rule } from '../types.ts';

export const functionCountRule: Rule = {
  id: 'function-count',
  summary: `at most ${ceLimits.maxFunctions} functions`,
  check: (stack) =>
    stack.functions.length > ceLimits.maxFunctions
      ? [
          finding(
            'function-count',
            'error',
            undefined,
            `the stack has ${stack.functions.length} functions`,
            `OpenFaaS CE refuses to deploy more than ${ceLimits.maxFunctions} functions ("unable to create function, maximum: ${ceLimits.maxFunctions}")`,
          ),
        ]
      : [],
};
