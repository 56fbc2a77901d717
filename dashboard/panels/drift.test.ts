import { describe, expect, it } from 'vitest';
import type { DriftReport } from '../../ml/drift.ts';
import { advance, emptyState } from '../state.ts';
import { ok, readingAt } from '../testing.ts';
import { buildView } from '../view.ts';
import type { TablePanel } from '../view-model.ts';

const state = { historyLength: 10, invocationMetric: 'i', latencyMetric: 'l' };
const options = {
  intervalMs: 2000,
  incomingTopic: 'cdn_raw',
  predictionWindowSeconds: 600,
  predictionStepSeconds: 5,
  measurements: ['predictions'],
};
const report: DriftReport = {
  model: 'cdn-kmeans@abc',
  records: 4000,
  predictions: 3900,
  anomalyRate: { live: 0.031, expected: 0.01, state: 'watch' },
  columns: [
    { column: 'host_id', psi: 0.412, state: 'retrain' },
    { column: 'protocol', psi: 0.001, state: 'ok' },
  ],
  state: 'retrain',
};
const driftPanel = (reading: ReturnType<typeof readingAt>) =>
  buildView(advance(emptyState, reading, state), options).panels.find((p) => p.id === 'drift') as TablePanel;

describe('the drift panel', () => {
  it('shows the state and model in its title, the anomaly rate and each PSI with its state', () => {
    const panel = driftPanel(readingAt(0, { drift: ok(report) }));
    expect(panel.state).toBe('ok');
    expect(panel.title).toBe('Model drift: retrain (cdn-kmeans@abc)');
    expect(panel.wide).toBe(true);
    expect(panel.rows).toEqual([
      ['anomaly rate', '3.10 %', '1.00 %', '-', 'watch'],
      ['host_id', '-', '-', '0.412', 'retrain'],
      ['protocol', '-', '-', '0.001', 'ok'],
    ]);
  });

  it('is empty before any record, names the failing source, and is off without one', () => {
    expect(driftPanel(readingAt(0, { drift: ok({ ...report, records: 0 }) })).state).toBe('empty');
    const failed = driftPanel(
      readingAt(0, { drift: { state: 'error', message: 'predict is not deployed with a topic' } }),
    );
    expect(failed.state).toBe('error');
    expect(failed.message).toBe('model drift unavailable: predict is not deployed with a topic');
    expect(driftPanel(readingAt(0)).state).toBe('off');
  });
});
