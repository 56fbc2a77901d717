import { type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { timeseries } from '../panels.ts';
import { promQuery } from '../queries.ts';
import { liveDashboard, prometheus, rate } from './common.ts';

/** Replicas, invocations and latency per function from the gateway, with the autoscaler's decisions. */
export function functionsAndReplicas(): Dashboard {
  return liveDashboard(
    'cdnfaas-functions',
    'cdnfaas: functions and replicas',
    'The gateway (OpenFaaS metric names) and the autoscaler, per function.',
  )
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
