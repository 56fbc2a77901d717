import { describe, expect, it } from 'vitest';
import { advance, emptyState, type StateOptions } from './state.ts';
import { ok, readingAt } from './testing.ts';
import { buildView, historySeries, type ViewOptions } from './view.ts';
import type { ChartPanel, DashboardView, TablePanel } from './view-model.ts';

const stateOptions: StateOptions = {
  historyLength: 100,
  invocationMetric: 'gateway_function_invocation_total',
  latencyMetric: 'gateway_functions_seconds',
};
const viewOptions: ViewOptions = {
  intervalMs: 2000,
  incomingTopic: 'cdn_raw',
  predictionWindowSeconds: 600,
  predictionStepSeconds: 5,
  measurements: ['cdn_client_data', 'predictions'],
};
const panel = (view: DashboardView, id: string) => view.panels.find((p) => p.id === id)!;
const tile = (view: DashboardView, id: string) => view.stats.find((s) => s.id === id)!;

describe('buildView', () => {
  it('shows empty states, not errors, when the sources answer with nothing yet', () => {
    const reading = readingAt(0, {
      topicOffsets: { state: 'ok', value: [] },
      lag: { state: 'ok', value: [] },
      functions: { state: 'ok', value: [] },
      predictions: { state: 'ok', value: { perCluster: [], perTag: [] } },
      storedCounts: { state: 'ok', value: [{ measurement: 'predictions', points: 0 }] },
    });
    const view = buildView(advance(emptyState, reading, stateOptions), viewOptions);
    for (const id of ['throughput', 'clusters', 'anomaly', 'stored', 'lag', 'replicas', 'functions', 'dlq']) {
      expect(panel(view, id).state, id).toBe('empty');
    }
    expect(panel(view, 'clusters').message).toBe('no predictions in the last 10 min');
    expect(panel(view, 'host').state).toBe('off');
  });

  it('names the failing source on its own panels and tiles only', () => {
    const reading = readingAt(0, {
      predictions: { state: 'error', message: 'connect ECONNREFUSED 127.0.0.1:8086' },
      lag: {
        state: 'ok',
        value: [
          {
            group: 'predict',
            topic: 'cdn_data',
            totalLag: 5,
            status: 'WARN',
            partitions: [{ partition: 0, lag: 5, status: 'WARN' }],
          },
        ],
      },
    });
    const view = buildView(advance(emptyState, reading, stateOptions), viewOptions);
    expect(panel(view, 'clusters')).toMatchObject({
      state: 'error',
      message: 'InfluxDB predictions unavailable: connect ECONNREFUSED 127.0.0.1:8086',
    });
    expect(tile(view, 'anomaly-rate')).toMatchObject({ state: 'error', value: null });
    expect(panel(view, 'lag').state).toBe('ok');
    expect((panel(view, 'lag-status') as TablePanel).rows).toEqual([
      ['', 'predict', 'cdn_data', 5, 'WARN', '0:5 WARN'],
    ]);
    expect(tile(view, 'lag').value).toBe(5);
  });

  it('computes predictions per cluster per second and the anomaly rate over the window', () => {
    const t = 1_800_000_000;
    const reading = readingAt(t * 1000, {
      predictions: {
        state: 'ok',
        value: {
          perCluster: [
            { time: t - 5, key: '0', value: 10 },
            { time: t - 5, key: '1', value: 5 },
          ],
          perTag: [
            { time: t - 5, key: 'normal', value: 12 },
            { time: t - 5, key: 'anomaly', value: 3 },
          ],
        },
      },
    });
    const view = buildView(advance(emptyState, reading, stateOptions), viewOptions);
    expect((panel(view, 'clusters') as ChartPanel).data.series).toEqual([
      { label: 'cluster 0', values: [2] },
      { label: 'cluster 1', values: [1] },
    ]);
    expect(tile(view, 'anomaly-rate').value).toBe(20);
    expect((panel(view, 'anomaly') as ChartPanel).data.series[0]!.values).toEqual([20]);
  });

  it('splits DLQ topics from pipeline topics and labels the incoming one', () => {
    const offsets = (raw: number, dlq: number) =>
      readingAt(raw * 10, {
        topicOffsets: {
          state: 'ok',
          value: [
            { topic: 'cdn_raw', endOffset: raw },
            { topic: 'cdn_raw.dlq', endOffset: dlq },
          ],
        },
      });
    const state = advance(advance(emptyState, offsets(100, 1), stateOptions), offsets(300, 3), stateOptions);
    const view = buildView(state, viewOptions);
    expect((panel(view, 'throughput') as ChartPanel).data.series.map((s) => s.label)).toEqual([
      'cdn_raw (incoming)',
    ]);
    expect((panel(view, 'dlq') as TablePanel).rows).toEqual([['cdn_raw.dlq', 3, 3]]);
    expect(panel(view, 'dlq').message).toBe('records counted by end offset: transaction markers included');
    expect(tile(view, 'incoming').value).toBe(100);
    expect(tile(view, 'dlq').value).toBe(3);
  });
});

describe('dead letters', () => {
  it('counts records exactly where a counter runs, beside the end offset that counts markers too', () => {
    const reading = readingAt(0, {
      topicOffsets: ok([{ topic: 'cdn_raw.dlq', endOffset: 260 }]),
      deadLetters: ok([{ topic: 'cdn_raw.dlq', records: 200 }]),
    });
    const view = buildView(advance(emptyState, reading, stateOptions), viewOptions);
    expect((panel(view, 'dlq') as TablePanel).rows).toEqual([['cdn_raw.dlq', 200, 260]]);
    expect(panel(view, 'dlq')).not.toHaveProperty('message');
    expect(tile(view, 'dlq').value).toBe(200);
  });

  it('falls back to end offsets, saying why, when the counter fails', () => {
    const reading = readingAt(0, {
      topicOffsets: ok([{ topic: 'cdn_raw.dlq', endOffset: 260 }]),
      deadLetters: { state: 'error', message: 'broker down' },
    });
    const view = buildView(advance(emptyState, reading, stateOptions), viewOptions);
    expect(panel(view, 'dlq').message).toBe(
      'dead-letter counts unavailable (broker down); records counted by end offset: transaction markers included',
    );
    expect(tile(view, 'dlq').value).toBe(260);
  });
});

describe('lag without a lag monitor', () => {
  it('says why the Burrow status is missing when every group is UNKNOWN', () => {
    const reading = readingAt(0, {
      lag: ok([
        { group: 'cdnfaas-predict', topic: 'cdn_data', totalLag: 3, status: 'UNKNOWN', partitions: [] },
      ]),
    });
    const view = buildView(advance(emptyState, reading, stateOptions), viewOptions);
    expect(panel(view, 'lag-status')).toMatchObject({
      state: 'ok',
      message: expect.stringContaining('no Burrow status'),
    });
    expect(panel(view, 'lag')).not.toHaveProperty('message');
  });
});

describe('historySeries', () => {
  it('aligns keys that come and go, with null where absent', () => {
    const view = historySeries(
      [{ t: 1, lag: { a: 1 } }, { t: 2 }, { t: 3, lag: { a: 2, b: 5 } }],
      (p) => p.lag,
    );
    expect(view).toEqual({
      times: [1, 2, 3],
      series: [
        { label: 'a', values: [1, null, 2] },
        { label: 'b', values: [null, null, 5] },
      ],
    });
  });
});
