import { DashboardBuilder, RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  allTime,
  countPerFieldValueQuery,
  countPerTagQuery,
  countPerWindowQuery,
  countPointsQuery,
  tagShareQuery,
  topFieldValuesQuery,
  topTagValuesQuery,
} from '../../../dashboard/flux.ts';
import { clientDataMeasurement } from '../../../functions/load-data/client-data-point.ts';
import { predictionMeasurement } from '../../../functions/load-predictions/prediction-point.ts';
import { barGauge, stat, stateTimeline, timeseries } from './panels.ts';
import { datasources, fluxQuery, grafanaRange, grafanaWindow, promQuery } from './queries.ts';

export interface GeneratedDashboard {
  /** File name under deploy/grafana/dashboards/. */
  file: string;
  dashboard: Dashboard;
}

const influx = datasources.influxdb;
const prometheus = datasources.prometheus;
const rate = (metric: string) => `rate(${metric}[$__rate_interval])`;
const tags = ['cdnfaas'];

function base(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title).uid(uid).description(description).tags(tags).readonly().timezone('utc');
}

/** The stored CDN records (measurement cdn_client_data), by record time. */
function cdnClientData(bucket: string): Dashboard {
  const m = clientDataMeasurement;
  const top = (title: string, tag: string, limit: number) =>
    barGauge({
      title,
      description: `Records per ${tag} tag in the time range, the ${limit} largest.`,
      datasource: influx,
      targets: [fluxQuery(topTagValuesQuery(bucket, m, 'sample_id', tag, grafanaRange, limit))],
      unit: 'short',
      width: 12,
      height: 10,
    });
  const values = (title: string, field: string, limit: number) =>
    barGauge({
      title,
      description: `Records per value of the ${field} field in the time range, the ${limit} most frequent.`,
      datasource: influx,
      targets: [fluxQuery(topFieldValuesQuery(bucket, m, field, grafanaRange, limit))],
      unit: 'short',
      width: 6,
      height: 8,
    });
  return base(
    'cdnfaas-cdn-client-data',
    'cdnfaas: CDN client data',
    `Records stored in ${m} by load-data, at their own timestamps. The published data and the generator's default lie in May 2088: the default range shows that week; pick the range of your data.`,
  )
    .time({ from: '2088-05-13T00:00:00.000Z', to: '2088-05-20T00:00:00.000Z' })
    .withPanel(
      stat({
        title: 'Records stored (all time)',
        description: `Points of ${m} over every timestamp.`,
        datasource: influx,
        targets: [fluxQuery(countPointsQuery(bucket, m, 'sample_id', allTime))],
        unit: 'short',
      }),
    )
    .withPanel(
      stat({
        title: 'Records in range',
        description: `Points of ${m} in the dashboard's time range.`,
        datasource: influx,
        targets: [fluxQuery(countPointsQuery(bucket, m, 'sample_id', grafanaRange))],
        unit: 'short',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Records per window (record time)',
        description: 'Records per time window of their own timestamps: the traffic shape, bursts included.',
        datasource: influx,
        targets: [fluxQuery(countPerWindowQuery(bucket, m, 'sample_id', grafanaRange, grafanaWindow))],
        unit: 'short',
        width: 24,
      }),
    )
    .withRow(new RowBuilder('Who and what'))
    .withPanel(top('Top hosts', 'host_id', 15))
    .withPanel(top('Records per user', 'user_id', 34))
    .withPanel(values('Content types', 'content_type', 10))
    .withPanel(values('Protocols', 'protocol', 5))
    .withPanel(values('Channels', 'channel_id', 10))
    .withPanel(values('Top geo locations', 'geo_location', 15))
    .build();
}

/** Predictions (measurement predictions), at prediction time: live. */
function predictions(bucket: string): Dashboard {
  const m = predictionMeasurement;
  return base(
    'cdnfaas-predictions',
    'cdnfaas: predictions',
    `Clusters and anomaly tags written to ${m} by load-predictions, at prediction time.`,
  )
    .time({ from: 'now-1h', to: 'now' })
    .refresh('10s')
    .withPanel(
      stat({
        title: 'Predictions stored (all time)',
        description: `Points of ${m}.`,
        datasource: influx,
        targets: [fluxQuery(countPointsQuery(bucket, m, 'sample_id', allTime))],
        unit: 'short',
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Predictions in range',
        description: `Points of ${m} in the time range.`,
        datasource: influx,
        targets: [fluxQuery(countPointsQuery(bucket, m, 'sample_id', grafanaRange))],
        unit: 'short',
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Anomaly rate in range',
        description: 'Share of predictions tagged anomaly.',
        datasource: influx,
        targets: [fluxQuery(tagShareQuery(bucket, m, 'prediction', 'tag', 'anomaly', grafanaRange))],
        unit: 'percent',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Predictions per cluster',
        description: 'Predictions per window by predicted cluster (the prediction field).',
        datasource: influx,
        targets: [fluxQuery(countPerFieldValueQuery(bucket, m, 'prediction', grafanaRange, grafanaWindow))],
        unit: 'short',
        stacked: true,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Normal and anomaly',
        description: 'Predictions per window by tag.',
        datasource: influx,
        targets: [fluxQuery(countPerTagQuery(bucket, m, 'prediction', 'tag', grafanaRange, grafanaWindow))],
        unit: 'short',
        stacked: true,
      }),
    )
    .withPanel(
      barGauge({
        title: 'Predictions per cluster in range',
        description: 'Total per cluster over the time range.',
        datasource: influx,
        targets: [fluxQuery(topFieldValuesQuery(bucket, m, 'prediction', grafanaRange, 50))],
        unit: 'short',
      }),
    )
    .withPanel(
      barGauge({
        title: 'Predictions per model version',
        description:
          'Total per pipeline_type (model name@version) over the time range: shows a rollout or rollback.',
        datasource: influx,
        targets: [fluxQuery(topTagValuesQuery(bucket, m, 'prediction', 'pipeline_type', grafanaRange, 10))],
        unit: 'short',
      }),
    )
    .build();
}

/** Consumer lag with Burrow-style status, and the connector's flow, from Prometheus. */
function kafkaLag(): Dashboard {
  return base(
    'cdnfaas-kafka-lag',
    'cdnfaas: Kafka lag',
    'Consumer groups of the connector (one per function): lag, Burrow-style status, records and dead letters.',
  )
    .time({ from: 'now-1h', to: 'now' })
    .refresh('10s')
    .withPanel(
      timeseries({
        title: 'Lag per consumer group',
        description: 'Log-end minus committed offset, summed over partitions (cdnfaas_consumer_lag).',
        datasource: prometheus,
        targets: [promQuery('sum by (group) (cdnfaas_consumer_lag)', '{{group}}')],
        unit: 'short',
      }),
    )
    .withPanel(
      stateTimeline({
        title: 'Group status (Burrow rules)',
        description:
          'Worst partition status of each group over time: OK, WARN (falling behind), STALL (stuck with consumers), STOP (no consumers).',
        datasource: prometheus,
        targets: [promQuery('max by (group) (cdnfaas_consumer_group_status)', '{{group}}')],
        unit: 'none',
        states: [
          { value: 0, text: 'OK', color: 'green' },
          { value: 1, text: 'WARN', color: 'yellow' },
          { value: 2, text: 'STALL', color: 'orange' },
          { value: 3, text: 'STOP', color: 'red' },
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Lag per partition',
        description: 'cdnfaas_consumer_lag per group and partition: one stuck partition stands out.',
        datasource: prometheus,
        targets: [promQuery('max by (group, partition) (cdnfaas_consumer_lag)', '{{group}} p{{partition}}')],
        unit: 'short',
        width: 24,
      }),
    )
    .withRow(new RowBuilder('Connector'))
    .withPanel(
      timeseries({
        title: 'Records/s by outcome',
        description: 'Input records the connector finished per function.',
        datasource: prometheus,
        targets: [
          promQuery(
            `sum by (function, outcome) (${rate('cdnfaas_connector_records_total')})`,
            '{{function}} {{outcome}}',
          ),
        ],
        unit: 'rps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Dead letters/s',
        description: 'Records sent to <topic>.dlq, by function and by who rejected them.',
        datasource: prometheus,
        targets: [
          promQuery(
            `sum by (function, rejected_by) (${rate('cdnfaas_connector_dead_letters_total')})`,
            '{{function}} {{rejected_by}}',
          ),
        ],
        unit: 'rps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Batch time p99',
        description: 'From taking a batch to committing it: invocation, retries, publish.',
        datasource: prometheus,
        targets: [
          promQuery(
            `histogram_quantile(0.99, sum by (le, function) (${rate('cdnfaas_connector_batch_seconds_bucket')}))`,
            '{{function}}',
          ),
        ],
        unit: 's',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Records buffered',
        description: 'Consumed and not yet committed, per function: flat when backpressure works.',
        datasource: prometheus,
        targets: [promQuery('sum by (function) (cdnfaas_connector_buffered_records)', '{{function}}')],
        unit: 'short',
      }),
    )
    .build();
}

/** Replicas, invocations and latency per function from the gateway, with the autoscaler's decisions. */
function functionsAndReplicas(): Dashboard {
  return base(
    'cdnfaas-functions',
    'cdnfaas: functions and replicas',
    'The gateway (OpenFaaS metric names) and the autoscaler, per function.',
  )
    .time({ from: 'now-1h', to: 'now' })
    .refresh('10s')
    .withPanel(
      timeseries({
        title: 'Replicas',
        description:
          'Desired replicas (gateway_service_count), ready replicas and what the autoscaler wants.',
        datasource: prometheus,
        targets: [
          promQuery('max by (function_name) (gateway_service_count)', '{{function_name}} desired', 'A'),
          promQuery('max by (function_name) (gateway_service_ready_count)', '{{function_name}} ready', 'B'),
          promQuery(
            'max by (function) (cdnfaas_autoscaler_desired_replicas)',
            '{{function}} autoscaler',
            'C',
          ),
        ],
        unit: 'short',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Scale calls',
        description: 'Scale calls the autoscaler made, by direction.',
        datasource: prometheus,
        targets: [
          promQuery(
            'sum by (function, direction) (increase(cdnfaas_autoscaler_scale_total[$__rate_interval]))',
            '{{function}} {{direction}}',
          ),
        ],
        unit: 'short',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Invocations/s',
        description: 'Invocations through the gateway by function and status code.',
        datasource: prometheus,
        targets: [
          promQuery(
            `sum by (function_name, code) (${rate('gateway_function_invocation_total')})`,
            '{{function_name}} {{code}}',
          ),
        ],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Errors/s',
        description: 'Invocations answered with a 5xx.',
        datasource: prometheus,
        targets: [
          promQuery(
            `sum by (function_name) (${rate('gateway_function_invocation_total{code=~"5.."}')})`,
            '{{function_name}}',
          ),
        ],
        unit: 'reqps',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Latency p50 and p99',
        description: 'gateway_functions_seconds per function.',
        datasource: prometheus,
        targets: [
          promQuery(
            `histogram_quantile(0.5, sum by (le, function_name) (${rate('gateway_functions_seconds_bucket')}))`,
            '{{function_name}} p50',
            'A',
          ),
          promQuery(
            `histogram_quantile(0.99, sum by (le, function_name) (${rate('gateway_functions_seconds_bucket')}))`,
            '{{function_name}} p99',
            'B',
          ),
        ],
        unit: 's',
        width: 24,
      }),
    )
    .build();
}

/** Panels get stable ids in order, as Grafana would assign them on first save. */
function numberPanels(dashboard: Dashboard): Dashboard {
  let id = 1;
  for (const panel of dashboard.panels ?? []) {
    panel.id = id++;
    if ('panels' in panel) for (const inner of panel.panels) inner.id = id++;
  }
  return dashboard;
}

/** Every dashboard, built from the system's bucket. */
export function buildDashboards(bucket: string): GeneratedDashboard[] {
  return [
    { file: 'cdn-client-data.json', dashboard: cdnClientData(bucket) },
    { file: 'predictions.json', dashboard: predictions(bucket) },
    { file: 'kafka-lag.json', dashboard: kafkaLag() },
    { file: 'functions.json', dashboard: functionsAndReplicas() },
  ].map(({ file, dashboard }) => ({ file, dashboard: numberPanels(dashboard) }));
}
