import { describe, expect, it } from 'vitest';
import { lintStack } from './lint.ts';
import { readFunctionSettings } from './function-settings.ts';
import type { LintFunction, StackView } from './stack-view.ts';
import type { LintContext } from './types.ts';

const context: LintContext = {
  templates: ['node20-ts'],
  templateHasManifest: () => true,
  handlerExists: (path) => path.startsWith('./functions/'),
  topics: { cdn_raw: 6, cdn_data: 6, cdn_result: 6 },
};

function fn(overrides: Partial<LintFunction> = {}): LintFunction {
  return {
    name: 'predict',
    lang: 'node20-ts',
    handler: './functions/predict',
    image: 'cdnfaas/predict:0.1.0',
    labels: { 'com.openfaas.scale.min': '1', 'com.openfaas.scale.max': '4' },
    annotations: { topic: 'cdn_data', 'cdnfaas.output': 'cdn_result', 'cdnfaas.scale.lag-target': '5000' },
    environment: {},
    secrets: [],
    ...overrides,
  };
}

const stackOf = (...functions: LintFunction[]): StackView => ({
  providerName: 'openfaas',
  version: '1.0',
  functions,
  schemaIssues: [],
});

const findingsOf = (view: StackView, ctx: LintContext = context) =>
  lintStack(view, ctx).findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`);

describe('lint rules', () => {
  it.each([
    ['a valid function', fn(), []],
    [
      'scale.zero "false" (what CE does anyway)',
      fn({ labels: { 'com.openfaas.scale.max': '4', 'com.openfaas.scale.zero': 'false' } }),
      [],
    ],
    ['an image pinned by digest', fn({ image: `cdnfaas/predict@sha256:${'a'.repeat(64)}` }), []],
    ['a registry with a port and a tag', fn({ image: 'registry.local:5000/cdnfaas/predict:0.2.0' }), []],
    ['Docker Hub spelt out', fn({ image: 'docker.io/cdnfaas/predict:0.2.0' }), []],
    [
      'the latest tag (deployable, but not a rollback target)',
      fn({ image: 'cdnfaas/predict:latest' }),
      ['warning image: image "cdnfaas/predict:latest" uses the latest tag'],
    ],
    [
      'no tag (faas-cli makes it :latest)',
      fn({ image: 'docker.io/cdnfaas/predict' }),
      ['warning image: image "docker.io/cdnfaas/predict" has no tag (faas-cli makes it :latest)'],
    ],
    ['a function without a topic (HTTP only)', fn({ annotations: {} }), []],
    ['the dockerfile template', fn({ lang: 'dockerfile' }), []],
    ['max 5, the CE cap', fn({ labels: { 'com.openfaas.scale.max': '5' } }), []],
    [
      'max 6, above the CE cap',
      fn({ labels: { 'com.openfaas.scale.max': '6' } }),
      ['error scaling-labels: label com.openfaas.scale.max: 6 is above 5'],
    ],
    [
      'the Pro autoscaler proportion label',
      fn({ labels: { 'com.openfaas.scale.max': '4', 'com.openfaas.scale.target-proportion': '0.7' } }),
      ['warning scaling-labels: label com.openfaas.scale.target-proportion has no effect on CE'],
    ],
    [
      'a misspelt cdnfaas annotation',
      fn({
        annotations: { topic: 'cdn_data', 'cdnfaas.scale.lag-taget': '5', 'cdnfaas.scale.lag-target': '5' },
      }),
      ['warning settings-values: unknown annotation "cdnfaas.scale.lag-taget"'],
    ],
    [
      'a loopback InfluxDB URL',
      fn({ environment: { INFLUX_URL: 'http://localhost:8086' } }),
      ['warning loopback-environment: environment INFLUX_URL=http://localhost:8086 points at this machine'],
    ],
    [
      'an uppercase secret name',
      fn({ secrets: ['InfluxToken'] }),
      ['error kubernetes-syntax: secret name "InfluxToken" is not a DNS-1123 name'],
    ],
    [
      'a batch size that is not a number',
      fn({
        annotations: {
          topic: 'cdn_data',
          'cdnfaas.scale.lag-target': '5',
          'cdnfaas.batch.max-records': '1e3',
        },
      }),
      ['error settings-values: cdnfaas.batch.max-records: "1e3" is not a whole number >= 1'],
    ],
    [
      'a missing handler folder',
      fn({ handler: './elsewhere' }),
      ['error template: handler folder "./elsewhere" does not exist'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(findingsOf(stackOf(input))).toEqual(expected);
  });

  it('warns when max replicas exceed the topic partitions', () => {
    const small = { ...context, topics: { ...context.topics, cdn_data: 2 } };
    expect(findingsOf(stackOf(fn()), small)).toEqual([
      'warning known-topics: com.openfaas.scale.max 4 is above the 2 partitions of cdn_data',
    ]);
  });

  it('warns when the template has no template.yml yet', () => {
    expect(findingsOf(stackOf(fn()), { ...context, templateHasManifest: () => false })).toEqual([
      'warning template: template node20-ts has no template.yml yet',
    ]);
  });

  it('reports stack-wide findings before per-function ones', () => {
    const view = { ...stackOf(fn({ image: 'cdnfaas/predict' })), version: '2.0' };
    expect(findingsOf(view)).toEqual([
      'error provider: version is "2.0"',
      'warning image: image "cdnfaas/predict" has no tag (faas-cli makes it :latest)',
    ]);
  });
});

describe('readFunctionSettings', () => {
  it('reads bounds from labels and the rest from annotations', () => {
    const { settings, problems } = readFunctionSettings(
      fn({
        annotations: {
          topic: 'cdn_raw',
          'cdnfaas.output': 'a, b',
          'cdnfaas.delivery': 'sink',
          'cdnfaas.scale.lag-target': '5000',
          'cdnfaas.batch.max-wait-ms': '0',
        },
      }),
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      topic: 'cdn_raw',
      outputs: ['a', 'b'],
      delivery: 'sink',
      minReplicas: 1,
      maxReplicas: 4,
      lagTarget: 5000,
      batch: { maxWaitMs: 0 },
    });
  });

  it("defaults to OpenFaaS's one replica minimum and 20 maximum, as the autoscalers do", () => {
    const { settings } = readFunctionSettings(fn({ labels: {} }));
    expect([settings.minReplicas, settings.maxReplicas]).toEqual([1, 20]);
  });

  it('warns when the default maximum is above the topic partitions', () => {
    expect(findingsOf(stackOf(fn({ labels: {} })))).toEqual([
      'warning known-topics: com.openfaas.scale.max 20 is above the 6 partitions of cdn_data',
    ]);
  });
});
