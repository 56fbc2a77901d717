import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import { groupIdFor } from '../../contracts/kafka-names.ts';
import { settings } from '../../contracts/openfaas/settings.ts';
import {
  markStackInputs,
  sameSubscription,
  toSubscription,
  type SubscribedFunction,
} from './subscription.ts';

const defaults = {
  batch: {
    maxRecords: settings.maxRecords.default,
    maxBytes: settings.maxBytes.default,
    maxWaitMs: settings.maxWaitMs.default,
  },
  timeoutMs: settings.timeoutMs.default,
};

function status(overrides: Partial<SubscribedFunction> = {}): SubscribedFunction {
  return {
    name: 'provide',
    image: 'cdnfaas/provide:0.1.0',
    replicas: 2,
    labels: {},
    annotations: { topic: 'cdn_raw' },
    envVars: {},
    ...overrides,
  };
}

describe('toSubscription', () => {
  it('ignores functions without a topic annotation', () => {
    expect(toSubscription(status({ annotations: {} }))).toBeUndefined();
  });

  it('applies defaults: no outputs means a sink', () => {
    const spec = toSubscription(status())!;
    expect(spec).toMatchObject({
      topic: 'cdn_raw',
      outputs: [],
      delivery: 'sink',
      batch: defaults.batch,
      timeoutMs: defaults.timeoutMs,
      concurrencyPerReplica: 4,
    });
  });

  it('reads outputs, which make the stage transactional unless told otherwise', () => {
    const spec = toSubscription(
      status({ annotations: { topic: 'cdn_raw', 'cdnfaas.output': 'cdn_data, cdn_client_data_storage' } }),
    )!;
    expect(spec.outputs).toEqual(['cdn_data', 'cdn_client_data_storage']);
    expect(spec.delivery).toBe('transactional');
    const sink = toSubscription(
      status({ annotations: { topic: 'a', 'cdnfaas.output': 'b', 'cdnfaas.delivery': 'sink' } }),
    )!;
    expect(sink.delivery).toBe('sink');
  });

  it('reads batch limits from annotations (not labels), and max_inflight for concurrency', () => {
    const spec = toSubscription(
      status({
        annotations: { topic: 'a', 'cdnfaas.batch.max-records': '100', 'cdnfaas.batch.max-wait-ms': '0' },
        labels: { 'cdnfaas.batch.max-bytes': '65536', topic: 'ignored' },
        envVars: { max_inflight: '8' },
      }),
    )!;
    expect(spec.topic).toBe('a');
    expect(spec.batch).toEqual({ maxRecords: 100, maxBytes: defaults.batch.maxBytes, maxWaitMs: 0 });
    expect(spec.concurrencyPerReplica).toBe(8);
  });

  it.each([
    [{ topic: 'a,b' }, 'topic'],
    [{ topic: 'a', 'cdnfaas.output': 'a' }, 'cdnfaas.output'],
    [{ topic: 'a', 'cdnfaas.output': 'bad topic!' }, 'cdnfaas.output'],
    [{ topic: 'a', 'cdnfaas.delivery': 'exactly-once' }, 'cdnfaas.delivery'],
    [{ topic: 'a', 'cdnfaas.batch.max-records': 'many' }, 'cdnfaas.batch.max-records'],
    [{ topic: 'a', 'cdnfaas.batch.max-records': '0' }, 'cdnfaas.batch.max-records'],
    [{ topic: 'a', 'cdnfaas.timeout-ms': '-5' }, 'cdnfaas.timeout-ms'],
  ])('refuses %j naming %s', (annotations, key) => {
    try {
      toSubscription(status({ annotations }));
      expect.unreachable();
    } catch (error) {
      expect(isCdnfaasError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain(key);
      expect((error as Error).message).toContain('provide');
    }
  });

  it('tells live changes from subscription changes', () => {
    const base = toSubscription(status({ annotations: { topic: 'a', 'cdnfaas.output': 'b' } }))!;
    expect(
      sameSubscription(base, { ...base, replicas: 5, image: 'x:2', batch: { ...base.batch, maxRecords: 7 } }),
    ).toBe(true);
    expect(sameSubscription(base, { ...base, outputs: ['c'] })).toBe(false);
    expect(sameSubscription(base, { ...base, delivery: 'sink' })).toBe(false);
  });

  it('names one group per function', () => expect(groupIdFor('predict')).toBe('cdnfaas-predict'));
});

describe('markStackInputs', () => {
  it('marks the subscriptions whose input another one outputs to', () => {
    const provide = toSubscription(
      status({ annotations: { topic: 'cdn_raw', 'cdnfaas.output': 'cdn_data,cdn_client_data_storage' } }),
    )!;
    const predict = toSubscription(
      status({ name: 'predict', annotations: { topic: 'cdn_data', 'cdnfaas.output': 'cdn_result' } }),
    )!;
    const loader = toSubscription(
      status({ name: 'load-data', annotations: { topic: 'cdn_client_data_storage' } }),
    )!;
    markStackInputs([provide, predict, loader]);
    expect([provide.inputFromStack, predict.inputFromStack, loader.inputFromStack]).toEqual([
      false,
      true,
      true,
    ]);
    // provide gone: nothing of the stack writes predict's input any more
    markStackInputs([predict]);
    expect(predict.inputFromStack).toBe(false);
  });
});
