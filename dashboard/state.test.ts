import { describe, expect, it } from 'vitest';
import { advance, emptyState, type StateOptions } from './state.ts';
import { ok, readingAt } from './testing.ts';

const options: StateOptions = {
  historyLength: 3,
  invocationMetric: 'gateway_function_invocation_total',
  latencyMetric: 'gateway_functions_seconds',
};

const offsets = (raw: number, dlq: number) =>
  ok([
    { topic: 'cdn_raw', endOffset: raw },
    { topic: 'cdn_raw.dlq', endOffset: dlq },
  ]);

describe('advance', () => {
  it('turns topic offsets and stored counts into rates against the previous successful tick', () => {
    let state = advance(emptyState, readingAt(0, { topicOffsets: offsets(100, 0) }), options);
    expect(state.history[0]!.topicRates).toEqual({ cdn_raw: 0, 'cdn_raw.dlq': 0 });
    state = advance(
      state,
      readingAt(2000, { topicOffsets: { state: 'error', message: 'broker down' } }),
      options,
    );
    expect(state.history[1]!.topicRates).toBeUndefined();
    state = advance(state, readingAt(4000, { topicOffsets: offsets(500, 4) }), options);
    expect(state.history[2]!.topicRates).toEqual({ cdn_raw: 100, 'cdn_raw.dlq': 1 });
  });

  it('keeps at most historyLength points', () => {
    let state = emptyState;
    for (let i = 0; i < 5; i++) state = advance(state, readingAt(i * 1000), options);
    expect(state.history.map((p) => p.t)).toEqual([2, 3, 4]);
  });

  it('sums lag per group, reads ready replicas, rates invocations and host figures', () => {
    const host = (busy: number, idle: number, rx: number) =>
      ok({
        cpu: { busy, idle },
        cores: 2,
        memory: { totalBytes: 1000, availableBytes: 250 },
        network: { rxBytes: rx, txBytes: 0 },
        disks: [],
        loadAverage: [0, 0, 0],
      });
    const metrics = (count: number) =>
      ok([
        {
          name: 'gateway_function_invocation_total',
          labels: { function_name: 'predict.openfaas-fn', code: '200' },
          value: count,
        },
      ]);
    let state = advance(emptyState, readingAt(0, { host: host(0, 0, 0), metrics: metrics(10) }), options);
    expect(state.history[0]!.invocations).toEqual({ predict: 0 });
    state = advance(
      state,
      readingAt(2000, {
        host: host(300, 100, 4000),
        metrics: metrics(50),
        lag: {
          state: 'ok',
          value: [
            { group: 'predict', topic: 'cdn_data', totalLag: 7, status: 'OK', partitions: [] },
            { group: 'predict', topic: 'other', totalLag: 3, status: 'OK', partitions: [] },
          ],
        },
        functions: {
          state: 'ok',
          value: [{ name: 'predict', image: 'cdnfaas/predict:0.1.0', replicas: 2, availableReplicas: 1 }],
        },
      }),
      options,
    );
    const point = state.history[1]!;
    expect(point.invocations).toEqual({ predict: 20 });
    expect(point.lag).toEqual({ predict: 10 });
    expect(point.replicas).toEqual({ predict: 1 });
    expect(point.host).toEqual({ cpuPercent: 75, memoryPercent: 75 });
    expect(point.network).toEqual({ rxPerSecond: 2000, txPerSecond: 0 });
  });
});
