import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { grafanaDir } from './generate.ts';
import { targetsOf, unknownNames } from './name-check.ts';
import { writtenMeasurements, writtenMetrics, type MetricNames } from './written-names.ts';

const dashboardsDir = join(grafanaDir, 'dashboards');
const dashboards = readdirSync(dashboardsDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, dashboard: JSON.parse(readFileSync(join(dashboardsDir, name), 'utf8')) }));
const measurements = writtenMeasurements();
let metrics: MetricNames[] = [];
beforeAll(async () => {
  metrics = await writtenMetrics();
});

describe('dashboard queries read what the system writes', () => {
  it('knows the names from the code that writes them', () => {
    expect(measurements.map((m) => m.measurement)).toEqual(['cdn_client_data', 'predictions']);
    expect(metrics.map((m) => m.name)).toEqual(
      expect.arrayContaining(['gateway_function_invocation_total', 'cdnfaas_consumer_lag']),
    );
  });

  it.each(dashboards)('$name: every measurement, field, tag, metric and label exists', ({ dashboard }) => {
    const targets = targetsOf(dashboard);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.flatMap((target) => unknownNames(target, measurements, metrics))).toEqual([]);
  });

  it('names what does not exist', () => {
    const influx = { type: 'influxdb' };
    const prometheus = { type: 'prometheus' };
    expect(
      [
        {
          datasource: influx,
          query: 'filter(fn: (r) => r._measurement == "prediction" and r._field == "prediction")',
        },
        {
          datasource: influx,
          query:
            'filter(fn: (r) => r._measurement == "predictions" and r._field == "cluster") |> map(fn: (r) => ({ r with key: r["host_id"] }))',
        },
        { datasource: prometheus, expr: 'sum by (function) (rate(gateway_function_invocation_total[1m]))' },
        { datasource: prometheus, expr: 'rate(gateway_function_invocations_total[1m])' },
      ].flatMap((target) => unknownNames(target, measurements, metrics)),
    ).toEqual([
      'measurement prediction is not written',
      'field prediction is not written to prediction',
      'field cluster is not written to predictions',
      'tag host_id is not written to predictions',
      'metric gateway_function_invocation_total has no label function',
      'metric gateway_function_invocations_total is not registered by any service',
    ]);
  });
});
