import {
  ceLimits,
  dns1035Label,
  dns1123Subdomain,
  faasNetesServiceName,
  ignoredScalingLabels,
  labelValuePattern,
  proOnlyScalingLabels,
  qualifiedKeyPattern,
} from './ce-limits.ts';
import { settings } from '../../contracts/openfaas/settings.ts';
import type { LintFunction } from './stack-view.ts';
import type { Finding, Rule, Severity } from './types.ts';

/** Rules for what faas-cli or OpenFaaS CE on Kubernetes refuses, or silently ignores. */

function finding(
  rule: string,
  severity: Severity,
  fn: LintFunction | undefined,
  message: string,
  why: string,
): Finding {
  return fn === undefined
    ? { rule, severity, message, why }
    : { rule, severity, function: fn.name, message, why };
}

const perFunction =
  (check: (fn: LintFunction, context: Parameters<Rule['check']>[1]) => Finding[]): Rule['check'] =>
  (stack, context) =>
    stack.functions.flatMap((fn) => check(fn, context));

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

export const imageRule: Rule = {
  id: 'image',
  summary:
    'every function has an image; a tag other than latest (a moving tag is a warning: it cannot be rolled back)',
  check: perFunction((fn) => {
    if (fn.image === undefined || fn.image === '') {
      return [
        finding(
          'image',
          'error',
          fn,
          'no image',
          'faas-netes refuses a deployment without an image ("image: is required")',
        ),
      ];
    }
    if (fn.image.includes('@')) return [];
    const lastSegment = fn.image.split('/').at(-1) ?? fn.image;
    const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
    // OpenFaaS CE deploys a moving tag (faas-cli and the gateway accept it), so this is a
    // warning: the deploy works, only a rollback by tag does not.
    if (tag === undefined || tag === 'latest') {
      return [
        finding(
          'image',
          'warning',
          fn,
          tag === undefined
            ? `image "${fn.image}" has no tag (faas-cli makes it :latest)`
            : `image "${fn.image}" uses the latest tag`,
          'a moving tag cannot be rolled back and Kubernetes re-pulls it on every start; give each build its own tag (e.g. 0.2.0) and roll back by deploying the previous one',
        ),
      ];
    }
    return [];
  }),
};

export const templateRule: Rule = {
  id: 'template',
  summary: 'lang names a template in ./template and handler is an existing folder',
  check: perFunction((fn, context) => {
    const findings: Finding[] = [];
    if (fn.lang === undefined || fn.lang === '') {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          'no lang',
          'faas-cli build needs the template name (lang) to build the image',
        ),
      );
    } else if (fn.lang.toLowerCase() !== 'dockerfile' && !context.templates.includes(fn.lang)) {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          `unknown lang "${fn.lang}" (templates here: ${context.templates.join(', ') || 'none'})`,
          'faas-cli build looks for ./template/<lang>/template.yml and stops when it is missing',
        ),
      );
    } else if (fn.lang.toLowerCase() !== 'dockerfile' && !context.templateHasManifest(fn.lang)) {
      findings.push(
        finding(
          'template',
          'warning',
          fn,
          `template ${fn.lang} has no template.yml yet`,
          `faas-cli build and deploy read ./template/${fn.lang}/template.yml (fprocess, build options) and stop without it`,
        ),
      );
    }
    if (fn.handler === undefined || fn.handler === '') {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          'no handler',
          'faas-cli build copies the handler folder into the image',
        ),
      );
    } else if (!context.handlerExists(fn.handler)) {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          `handler folder "${fn.handler}" does not exist`,
          'faas-cli build copies the handler folder into the image',
        ),
      );
    }
    return findings;
  }),
};

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

export const kubernetesSyntaxRule: Rule = {
  id: 'kubernetes-syntax',
  summary: 'label keys/values, annotation keys and secret names are valid Kubernetes names',
  check: perFunction((fn) => {
    const findings: Finding[] = [];
    for (const [key, value] of Object.entries(fn.labels)) {
      if (!qualifiedKeyPattern.test(key)) {
        findings.push(
          finding(
            'kubernetes-syntax',
            'error',
            fn,
            `label key "${key}" is not a Kubernetes qualified name`,
            'Kubernetes refuses the Deployment OpenFaaS creates',
          ),
        );
      }
      if (value.length > 63 || !labelValuePattern.test(value)) {
        findings.push(
          finding(
            'kubernetes-syntax',
            'error',
            fn,
            `label ${key}: "${value}" is not a valid label value`,
            'label values are at most 63 characters of a-z, 0-9, "-", "_", "." (no commas or slashes): Kubernetes refuses the Deployment. Put settings like this in annotations.',
          ),
        );
      }
    }
    for (const key of Object.keys(fn.annotations)) {
      if (!qualifiedKeyPattern.test(key)) {
        findings.push(
          finding(
            'kubernetes-syntax',
            'error',
            fn,
            `annotation key "${key}" is not a Kubernetes qualified name`,
            'Kubernetes refuses the Deployment OpenFaaS creates',
          ),
        );
      }
    }
    for (const secret of fn.secrets) {
      if (secret.length > 253 || !dns1123Subdomain.test(secret)) {
        findings.push(
          finding(
            'kubernetes-syntax',
            'error',
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

export const openfaasRules: Rule[] = [
  stackSchemaRule,
  providerRule,
  functionCountRule,
  functionNameRule,
  namespaceRule,
  imageRule,
  templateRule,
  scalingLabelsRule,
  kubernetesSyntaxRule,
  loopbackEnvironmentRule,
];
