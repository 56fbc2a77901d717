import { describe, expect, it } from 'vitest';
import { parsePrometheusText, samplesFromRegistryJson } from './samples.ts';

describe('parsePrometheusText', () => {
  it('reads counters, labels with escapes, histogram buckets and skips comments', () => {
    const text = [
      '# HELP gateway_function_invocation_total Function metrics',
      '# TYPE gateway_function_invocation_total counter',
      'gateway_function_invocation_total{function_name="predict",code="200"} 42',
      'gateway_function_invocation_total{code="500",function_name="predict"} 3 1700000000000',
      'gateway_functions_seconds_bucket{function_name="predict",le="+Inf"} 45',
      'weird{path="a \\"quoted\\" \\\\ value"} 1.5e3',
      'no_labels 7',
      'broken{oops} 1',
      'nan_value NaN',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      {
        name: 'gateway_function_invocation_total',
        labels: { function_name: 'predict', code: '200' },
        value: 42,
      },
      {
        name: 'gateway_function_invocation_total',
        labels: { code: '500', function_name: 'predict' },
        value: 3,
      },
      {
        name: 'gateway_functions_seconds_bucket',
        labels: { function_name: 'predict', le: '+Inf' },
        value: 45,
      },
      { name: 'weird', labels: { path: 'a "quoted" \\ value' }, value: 1500 },
      { name: 'no_labels', labels: {}, value: 7 },
    ]);
  });
});

describe('samplesFromRegistryJson', () => {
  it('uses the per-value metric name of histograms and stringifies labels', () => {
    const samples = samplesFromRegistryJson([
      {
        name: 'gateway_functions_seconds',
        values: [
          {
            value: 2,
            labels: { function_name: 'predict', le: 0.1 },
            metricName: 'gateway_functions_seconds_bucket',
          },
          { value: 0.3, labels: { function_name: 'predict' }, metricName: 'gateway_functions_seconds_sum' },
        ],
      },
      { name: 'gateway_service_count', values: [{ value: 2, labels: { function_name: 'predict' } }] },
    ]);
    expect(samples).toEqual([
      { name: 'gateway_functions_seconds_bucket', labels: { function_name: 'predict', le: '0.1' }, value: 2 },
      { name: 'gateway_functions_seconds_sum', labels: { function_name: 'predict' }, value: 0.3 },
      { name: 'gateway_service_count', labels: { function_name: 'predict' }, value: 2 },
    ]);
  });
});
