import { describe, expect, it } from 'vitest';
import { clientDataPoint } from '../../functions/load-data/client-data-point.ts';
import { predictionPoint } from '../../functions/load-predictions/prediction-point.ts';
import { toLine } from '../../functions/shared/point.ts';
import { clientDataRecord } from '../../functions/shared/testing.ts';
import { lagSummary } from './phases.ts';
import { cpuSplit } from './report.ts';
import { stageTimings, type MetricsReading } from './stage-metrics.ts';
import { percentile } from './workload.ts';
import { sampleIdsOf } from './write-proxy.ts';

describe('sampleIdsOf', () => {
  it('reads measurement and sample_id from the lines the loaders write, escapes included', () => {
    const prediction = {
      sample_id: 'a-1',
      prediction_timestamp: '2088-05-19T09:00:00.000Z',
      prediction: 3,
      tag: 'normal',
      pipeline_type: 'cdn-kmeans@1 x',
    };
    const body = [
      toLine(predictionPoint(prediction, undefined)),
      toLine(clientDataPoint(clientDataRecord({ sample_id: 'b-2' }))),
      'other,tag=x value=1i 3',
    ].join('\n');
    expect(sampleIdsOf(body)).toEqual([
      { measurement: 'predictions', sampleId: 'a-1' },
      { measurement: 'cdn_client_data', sampleId: 'b-2' },
    ]);
  });
});

describe('percentile', () => {
  it('is the nearest rank of the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('lagSummary', () => {
  it('finds each stage peak and the first zero after it', () => {
    const series = [
      {
        at: 1,
        lags: [
          { function: 'a', topic: 't', lag: 5 },
          { function: 'b', topic: 'u', lag: 0 },
        ],
      },
      {
        at: 2,
        lags: [
          { function: 'a', topic: 't', lag: 9 },
          { function: 'b', topic: 'u', lag: 4 },
        ],
      },
      {
        at: 3,
        lags: [
          { function: 'a', topic: 't', lag: 0 },
          { function: 'b', topic: 'u', lag: 6 },
        ],
      },
    ];
    expect(lagSummary(series)).toEqual([
      { function: 'a', peak: 9, peakAtS: 2, drainedAtS: 3 },
      { function: 'b', peak: 6, peakAtS: 3 },
    ]);
  });
});

describe('stageTimings', () => {
  it('takes per-batch means over the difference of two readings', () => {
    const reading = (batches: number, seconds: number, invoke: number, records: number): MetricsReading => [
      { name: 'cdnfaas_connector_batch_seconds_count', labels: { function: 'f' }, value: batches },
      { name: 'cdnfaas_connector_batch_seconds_sum', labels: { function: 'f' }, value: seconds },
      {
        name: 'cdnfaas_connector_batch_stage_seconds_sum',
        labels: { function: 'f', stage: 'invoke' },
        value: invoke,
      },
      {
        name: 'cdnfaas_connector_records_total',
        labels: { function: 'f', outcome: 'committed' },
        value: records,
      },
    ];
    const [timing] = stageTimings(reading(10, 1, 0.5, 1000), reading(30, 5, 2.5, 5000));
    expect(timing).toMatchObject({
      function: 'f',
      batches: 20,
      records: 4000,
      batchMs: 200,
      invokeMs: 100,
      queuedMs: 0,
    });
  });
});

describe('cpuSplit', () => {
  it('separates the parts measured from the rest of the machine', () => {
    const split = cpuSplit([
      { part: 'connector', cores: 0.5 },
      { part: 'kafka', cores: 0.25 },
      { part: 'machine (everything)', cores: 2 },
    ]);
    expect(split).toEqual({ system: 0.75, other: 1.25 });
  });
});
