import { describe, expect, it } from 'vitest';
import { isCdnfaasError } from '../../lib/errors.ts';
import { parseDuration } from './duration.ts';
import {
  defaults,
  groupIdFor,
  sameSubscription,
  toFunctionSpec,
  type FunctionStatus,
} from './function-spec.ts';

function status(overrides: Partial<FunctionStatus> = {}): FunctionStatus {
  return {
    name: 'provide',
    image: 'cdnfaas/provide:0.1.0',
    replicas: 2,
    availableReplicas: 2,
    labels: {},
    annotations: { topic: 'cdn_raw' },
    envVars: {},
    ...overrides,
  };
}

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['15', 15_000],
    ['1.5s', 1_500],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '10 s', '5d', '1m-3s'])('%j is not a duration', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('toFunctionSpec', () => {
  it('ignores functions without a topic annotation', () => {
    expect(toFunctionSpec(status({ annotations: {} }))).toBeUndefined();
  });

  it('applies defaults: no outputs means a sink', () => {
    const spec = toFunctionSpec(status())!;
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
    const spec = toFunctionSpec(
      status({ annotations: { topic: 'cdn_raw', 'cdnfaas.output': 'cdn_data, cdn_client_data_storage' } }),
    )!;
    expect(spec.outputs).toEqual(['cdn_data', 'cdn_client_data_storage']);
    expect(spec.delivery).toBe('transactional');
    const sink = toFunctionSpec(
      status({ annotations: { topic: 'a', 'cdnfaas.output': 'b', 'cdnfaas.delivery': 'sink' } }),
    )!;
    expect(sink.delivery).toBe('sink');
  });

  it('reads batch limits from annotations (not labels), and max_inflight for concurrency', () => {
    const spec = toFunctionSpec(
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
      toFunctionSpec(status({ annotations }));
      expect.unreachable();
    } catch (error) {
      expect(isCdnfaasError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain(key);
      expect((error as Error).message).toContain('provide');
    }
  });

  it('tells live changes from subscription changes', () => {
    const base = toFunctionSpec(status({ annotations: { topic: 'a', 'cdnfaas.output': 'b' } }))!;
    expect(
      sameSubscription(base, { ...base, replicas: 5, image: 'x:2', batch: { ...base.batch, maxRecords: 7 } }),
    ).toBe(true);
    expect(sameSubscription(base, { ...base, outputs: ['c'] })).toBe(false);
    expect(sameSubscription(base, { ...base, delivery: 'sink' })).toBe(false);
  });

  it('names one group per function', () => expect(groupIdFor('predict')).toBe('cdnfaas-predict'));
});
