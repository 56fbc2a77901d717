import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import {
  alertPayloadSchema,
  alertScaleSettings,
  calculateReplicas,
  planAlertActions,
  splitFunctionName,
  type AlertStatus,
  type ScalableFunction,
} from './alert-scaling.ts';

// The cases of faas gateway/handlers/alerthandler_test.go, with DefaultMinReplicas 1 and
// DefaultMaxReplicas 20 written out: status, current, max, min, factor, expected.
const openfaasCases: Array<[string, AlertStatus, number, number, number, number, number]> = [
  ['TestDisabledScale: factor 0 goes to min', 'firing', 1, 20, 1, 0, 1],
  ['TestParameterEdge: factor 0 and min 0', 'firing', 1, 20, 0, 0, 0],
  ['TestScalingWithSameUpperLowerLimit', 'firing', 1, 1, 1, 20, 1],
  ['TestMaxScale: factor 100 reaches max at once', 'firing', 1, 20, 1, 100, 20],
  ['TestInitialScale: 1 + 20% of 20', 'firing', 1, 20, 1, 20, 5],
  ['TestScale: 4 + 4', 'firing', 4, 20, 1, 20, 8],
  ['TestScaleCeiling: at max stays', 'firing', 20, 20, 1, 20, 20],
  ['TestScaleCeilingEdge: 19 + 4 capped', 'firing', 19, 20, 1, 20, 20],
  ['TestBackingOff: resolved goes to min', 'resolved', 8, 20, 1, 20, 1],
  ['TestScaledUpFrom1: ceil(5 * 30%) = 2', 'firing', 1, 5, 1, 30, 3],
  ['TestScaledUpWithSmallParam: ceil(4 * 1%) = 1', 'firing', 1, 4, 1, 1, 2],
  ['max above the OpenFaaS cap of 20 is capped', 'firing', 18, 50, 1, 10, 20],
  ['max 4, factor 50: 1 -> 3', 'firing', 1, 4, 1, 50, 3],
  ['max 4, factor 50: 3 -> 4', 'firing', 3, 4, 1, 50, 4],
  ['max 4, factor 50: resolved -> 1', 'resolved', 4, 4, 1, 50, 1],
];

describe('calculateReplicas (OpenFaaS CalculateReplicas)', () => {
  it.each(openfaasCases)('%s', (_name, status, current, max, min, factor, expected) => {
    expect(calculateReplicas(status, current, max, min, factor)).toBe(expected);
  });
});

const fn = (
  name: string,
  replicas: number,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): ScalableFunction => ({
  name,
  replicas,
  labels,
  annotations,
});

describe('alertScaleSettings', () => {
  it.each([
    ['defaults', {}, { min: 1, max: 20, factor: 20 }],
    [
      'labels',
      { 'com.openfaas.scale.min': '2', 'com.openfaas.scale.max': '6', 'com.openfaas.scale.factor': '50' },
      { min: 2, max: 6, factor: 50 },
    ],
    ['factor 0 disables', { 'com.openfaas.scale.factor': '0' }, { min: 1, max: 20, factor: 0 }],
  ])('%s', (_name, labels, expected) => {
    expect(alertScaleSettings(fn('f', 1, labels))).toEqual(expected);
  });

  it.each([
    ['factor above 100', { 'com.openfaas.scale.factor': '101' }, 'com.openfaas.scale.factor'],
    ['factor not a number', { 'com.openfaas.scale.factor': 'half' }, 'com.openfaas.scale.factor'],
    [
      'max below min',
      { 'com.openfaas.scale.min': '5', 'com.openfaas.scale.max': '2' },
      'com.openfaas.scale.max',
    ],
  ])('%s: CONFIG_INVALID naming the key', (_name, labels, key) => {
    let thrown: unknown;
    try {
      alertScaleSettings(fn('f', 1, labels));
    } catch (error) {
      thrown = error;
    }
    expect(isCdnfaasError(thrown, 'CONFIG_INVALID')).toBe(true);
    expect((thrown as Error).message).toContain(key);
  });
});

describe('alertPayloadSchema (AlertManager webhook, version 4)', () => {
  // Shaped as AlertManager 0.25 posts it for OpenFaaS's rule.
  const payload = {
    receiver: 'scale-up',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'APIHighInvocationRate',
          function_name: 'hello.openfaas-fn',
          service: 'gateway',
          severity: 'major',
        },
        annotations: { description: 'High invocation total on hello', summary: 'High invocation total' },
        startsAt: '2024-01-01T00:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://127.0.0.1:9090/graph',
        fingerprint: 'a1b2',
      },
    ],
    groupLabels: { alertname: 'APIHighInvocationRate', service: 'gateway' },
    commonLabels: { alertname: 'APIHighInvocationRate' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9095',
    version: '4',
    groupKey: '{}:{alertname="APIHighInvocationRate"}',
    truncatedAlerts: 0,
  };

  it('parses a real payload', () => {
    const parsed = alertPayloadSchema.parse(payload);
    expect(parsed.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { function_name: 'hello.openfaas-fn' },
    });
  });

  it.each([
    ['unknown status', { ...payload, alerts: [{ ...payload.alerts[0], status: 'pending' }] }],
    ['no alerts list', { status: 'firing' }],
    ['not an object', 'firing'],
  ])('refuses %s', (_name, body) => {
    expect(alertPayloadSchema.safeParse(body).success).toBe(false);
  });
});

describe('splitFunctionName', () => {
  it.each([
    ['hello.openfaas-fn', { name: 'hello', namespace: 'openfaas-fn' }],
    ['hello', { name: 'hello', namespace: 'openfaas-fn' }],
    ['hello.other', { name: 'hello', namespace: 'other' }],
  ])('%s', (label, expected) => expect(splitFunctionName(label)).toEqual(expected));
});

describe('planAlertActions', () => {
  const functions = new Map([
    ['web', fn('web', 1, { 'com.openfaas.scale.max': '4', 'com.openfaas.scale.factor': '50' })],
    ['full', fn('full', 4, { 'com.openfaas.scale.max': '4', 'com.openfaas.scale.factor': '50' })],
    ['kafka', fn('kafka', 1, { 'com.openfaas.scale.max': '4' }, { topic: 'cdn_raw' })],
  ]);
  const lookup = (name: string) => functions.get(name);
  const alert = (status: AlertStatus, function_name: string) => ({ status, labels: { function_name } });

  it.each([
    ['firing scales up by the step', alert('firing', 'web.openfaas-fn'), { action: 'scale', from: 1, to: 3 }],
    ['firing at max leaves it', alert('firing', 'full.openfaas-fn'), { action: 'unchanged', replicas: 4 }],
    ['resolved goes to min', alert('resolved', 'full.openfaas-fn'), { action: 'scale', from: 4, to: 1 }],
    ['resolved at min leaves it', alert('resolved', 'web'), { action: 'unchanged', replicas: 1 }],
    [
      'Kafka-triggered is left to the lag autoscaler',
      alert('firing', 'kafka.openfaas-fn'),
      { action: 'ignored' },
    ],
    [
      'unknown function',
      alert('firing', 'nope.openfaas-fn'),
      { action: 'ignored', reason: 'no such function' },
    ],
    ['other namespace', alert('firing', 'web.other'), { action: 'ignored' }],
    ['no label', alert('firing', ''), { action: 'ignored', reason: 'no function_name label' }],
  ])('%s', (_name, input, expected) => {
    expect(planAlertActions([input], lookup)[0]).toMatchObject(expected);
  });
});
