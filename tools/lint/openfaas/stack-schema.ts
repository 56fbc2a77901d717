import { finding } from './finding.ts';
import type { Rule } from '../types.ts';

export const stackSchemaRule: Rule = {
  id: 'stack-schema',
  summary: 'the stack file has the keys and types of an OpenFaaS stack.yml (go-sdk stack.Services)',
  check: (stack) =>
    stack.schemaIssues
      // A bad function name is a bad record key; the function-name rule explains those in full.
      .filter(
        (issue) => !(/^functions\.[^.]+$/.test(issue.path) && issue.message === 'Invalid key in record'),
      )
      .map((issue) =>
        finding(
          'stack-schema',
          'error',
          undefined,
          `${issue.path}: ${issue.message}`,
          'faas-cli reads stack.yml into fixed Go types: an unknown key is silently dropped (a typo such as `anotations:` loses the settings) and a wrong type stops faas-cli',
        ),
      ),
};
