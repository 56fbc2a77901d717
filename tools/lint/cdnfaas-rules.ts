import { settings as registry } from '../../contracts/openfaas/settings.ts';
import { readFunctionSettings } from './function-settings.ts';
import type { LintFunction } from './stack-view.ts';
import type { Finding, LintContext, Rule } from './types.ts';

/**
 * Rules for cdnfaas's own settings: kept in annotations (which OpenFaaS CE passes through),
 * one topic per function, topics that system/sources.yaml creates, readable values.
 */

const knownAnnotations = new Set<string>(
  Object.values(registry)
    .filter((setting) => setting.source === 'annotation')
    .map((setting) => setting.key),
);

const perFunction =
  (check: (fn: LintFunction, context: LintContext) => Finding[]): Rule['check'] =>
  (stack, context) =>
    stack.functions.flatMap((fn) => check(fn, context));

export const oneTopicRule: Rule = {
  id: 'one-topic',
  summary: 'the topic annotation names exactly one topic',
  check: perFunction((fn) => {
    const topic = fn.annotations[registry.topic.key];
    if (topic === undefined || !topic.includes(',')) return [];
    return [
      {
        rule: 'one-topic',
        severity: 'error',
        function: fn.name,
        message: `topic annotation "${topic}" names more than one topic`,
        why: "each function has one consumer group on one topic: the connector commits per group and KEDA scales on that one topic's lag (limitToPartitionsWithLag needs a single topic). Split it into one function per topic.",
      },
    ];
  }),
};

export const settingsInAnnotationsRule: Rule = {
  id: 'settings-in-annotations',
  summary: 'cdnfaas settings (topic, cdnfaas.*) are annotations, not labels',
  check: perFunction((fn) =>
    Object.keys(fn.labels)
      .filter((key) => key === registry.topic.key || key.startsWith('cdnfaas.'))
      .map((key) => ({
        rule: 'settings-in-annotations',
        severity: 'error' as const,
        function: fn.name,
        message: `"${key}" is a label`,
        why: 'the connector and the generator read cdnfaas settings from annotations only; labels also cannot hold lists such as "a,b". Move it under annotations:',
      })),
  ),
};

export const settingsValuesRule: Rule = {
  id: 'settings-values',
  summary: 'cdnfaas annotations hold readable values; Kafka-triggered functions have a lag target',
  check: perFunction((fn) => {
    const { settings, problems } = readFunctionSettings(fn);
    const findings: Finding[] = problems
      .filter(
        (problem) => !problem.startsWith(`${registry.topic.key}:`) && !problem.startsWith('com.openfaas.'),
      )
      .map((problem) => ({
        rule: 'settings-values',
        severity: 'error',
        function: fn.name,
        message: problem,
        why: 'the connector and the autoscaler would fall back to defaults, so the setting silently does nothing',
      }));
    if (settings.topic !== undefined && settings.lagTarget === undefined) {
      findings.push({
        rule: 'settings-values',
        severity: 'error',
        function: fn.name,
        message: `no ${registry.lagTarget.key} annotation`,
        why: 'the lag target (records of lag per replica) drives both the local autoscaler and the KEDA ScaledObject; without it KEDA would use its default of 10 records and scale out on the first burst',
      });
    }
    for (const key of Object.keys(fn.annotations)) {
      if (key.startsWith('cdnfaas.') && !knownAnnotations.has(key)) {
        findings.push({
          rule: 'settings-values',
          severity: 'warning',
          function: fn.name,
          message: `unknown annotation "${key}"`,
          why: `cdnfaas reads ${[...knownAnnotations].join(', ')}; a misspelt key is ignored`,
        });
      }
    }
    return findings;
  }),
};

export const knownTopicsRule: Rule = {
  id: 'known-topics',
  summary: 'input and output topics exist in system/sources.yaml; max replicas <= partitions',
  check: perFunction((fn, context) => {
    const { settings } = readFunctionSettings(fn);
    const findings: Finding[] = [];
    const named = [settings.topic, ...settings.outputs].filter(
      (topic): topic is string => topic !== undefined,
    );
    for (const topic of named) {
      if (topic !== '' && context.topics[topic] === undefined) {
        findings.push({
          rule: 'known-topics',
          severity: 'error',
          function: fn.name,
          message: `topic "${topic}" is not in system/sources.yaml`,
          why: 'topics (and their partitions) are created from system/sources.yaml, locally and as Strimzi KafkaTopics; add it there',
        });
      }
    }
    const partitions = settings.topic === undefined ? undefined : context.topics[settings.topic];
    if (partitions !== undefined && settings.maxReplicas > partitions) {
      findings.push({
        rule: 'known-topics',
        severity: 'warning',
        function: fn.name,
        message: `com.openfaas.scale.max ${settings.maxReplicas} is above the ${partitions} partitions of ${settings.topic}`,
        why: 'per-partition order allows one batch per partition at a time, so replicas beyond the partition count stay idle (KEDA does not scale past it either)',
      });
    }
    return findings;
  }),
};

export const cdnfaasRules: Rule[] = [
  oneTopicRule,
  settingsInAnnotationsRule,
  settingsValuesRule,
  knownTopicsRule,
];
