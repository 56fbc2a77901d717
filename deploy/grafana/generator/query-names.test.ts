import { describe, expect, it } from 'vitest';
import { fluxNames, promNames } from './query-names.ts';

describe('fluxNames', () => {
  it('reads measurements, fields and tags from filters and r["tag"]', () => {
    const flux = `from(bucket: "b")
  |> filter(fn: (r) => r._measurement == "predictions" and r._field == "prediction")
  |> map(fn: (r) => ({ r with key: r["tag"] }))`;
    expect(fluxNames(flux)).toEqual({ measurements: ['predictions'], fields: ['prediction'], tags: ['tag'] });
  });
});

describe('promNames', () => {
  it('finds metric names and labels, not functions, durations, strings or le', () => {
    expect(
      promNames(
        'histogram_quantile(0.99, sum by (le, function_name) (rate(gateway_functions_seconds_bucket{code=~"5.."}[$__rate_interval])))',
      ),
    ).toEqual({ metrics: ['gateway_functions_seconds_bucket'], labels: ['code', 'function_name'] });
    expect(
      promNames('max by (group) (cdnfaas_consumer_group_status) / on (group) cdnfaas_consumer_lag'),
    ).toEqual({
      metrics: ['cdnfaas_consumer_group_status', 'cdnfaas_consumer_lag'],
      labels: ['group'],
    });
  });
});
