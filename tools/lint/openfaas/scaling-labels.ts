import { settings } from '../../../contracts/openfaas/settings.ts';
import { ceLimits, ignoredScalingLabels, proOnlyScalingLabels } from '../ce-limits.ts';
import { finding, perFunction } from './finding.ts';
import type { Finding, Rule } from '../types.ts';

export const scalingLabelsRule: Rule = {
  id: 'scaling-labels',
  summary: `no Pro-only scaling labels; com.openfaas.scale.min/max whole numbers within 1..${ceLimits.maxReplicas}, min <= max`,
  check: perFunction((fn) => {
    const findings: Finding[] = [];
    for (const [label, reason] of Object.entries(proOnlyScalingLabels)) {
      const value = fn.labels[label];
      // faas-netes refuses scale.zero only when "true"; "false" is what CE does anyway.
      if (value === undefined || (label === 'com.openfaas.scale.zero' && value !== 'true')) continue;
      findings.push(
        finding(
          'scaling-labels',
          'error',
          fn,
          `label ${label}: "${value}"`,
          `OpenFaaS CE refuses it ("${label} not available for Community Edition"): ${reason}. cdnfaas scales with KEDA instead.`,
        ),
      );
    }
    for (const [label, reason] of Object.entries(ignoredScalingLabels)) {
      if (fn.labels[label] === undefined) continue;
      findings.push(
        finding(
          'scaling-labels',
          'warning',
          fn,
          `label ${label} has no effect on CE`,
          `${reason}; remove it or expect nothing to happen`,
        ),
      );
    }
    const bounds: Record<string, number> = {};
    for (const label of [settings.scaleMin.key, settings.scaleMax.key]) {
      const value = fn.labels[label];
      if (value === undefined) continue;
      if (!/^\d+$/.test(value)) {
        findings.push(
          finding(
            'scaling-labels',
            'error',
            fn,
            `label ${label}: "${value}" is not a whole number`,
            'OpenFaaS ignores a value it cannot parse and falls back to its default, so the bound silently disappears',
          ),
        );
        continue;
      }
      bounds[label] = Number(value);
      if (Number(value) > ceLimits.maxReplicas) {
        findings.push(
          finding(
            'scaling-labels',
            'error',
            fn,
            `label ${label}: ${value} is above ${ceLimits.maxReplicas}`,
            `OpenFaaS CE refuses it ("${label} is set too high for Community Edition") and caps every function at ${ceLimits.maxReplicas} replicas`,
          ),
        );
      }
    }
    const min = bounds[settings.scaleMin.key];
    const max = bounds[settings.scaleMax.key];
    if (min === 0) {
      findings.push(
        finding(
          'scaling-labels',
          'error',
          fn,
          `label ${settings.scaleMin.key}: 0`,
          'OpenFaaS CE never runs a function at zero replicas (it resets 0 to 1 and refuses scale-to-zero requests), so KEDA and CE would fight; use 1',
        ),
      );
    }
    if (min !== undefined && max !== undefined && min > max) {
      findings.push(
        finding(
          'scaling-labels',
          'error',
          fn,
          `${settings.scaleMin.key} (${min}) is above ${settings.scaleMax.key} (${max})`,
          'the autoscaler cannot satisfy both bounds',
        ),
      );
    }
    return findings;
  }),
};
