import { finding, perFunction } from './finding.ts';
import type { Rule } from '../types.ts';

export const loopbackEnvironmentRule: Rule = {
  id: 'loopback-environment',
  summary: 'environment values do not point at 127.0.0.1 or localhost',
  check: perFunction((fn) =>
    Object.entries(fn.environment)
      .filter(([, value]) => /\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/.test(value))
      .map(([key, value]) =>
        finding(
          'loopback-environment',
          'warning',
          fn,
          `environment ${key}=${value} points at this machine`,
          `on Kubernetes 127.0.0.1 is the function's own pod; write \${${key}:-${value}} so that faas-cli substitutes the cluster address (e.g. ${key}=http://influxdb.cdnfaas:8086 faas-cli deploy)`,
        ),
      ),
  ),
};
