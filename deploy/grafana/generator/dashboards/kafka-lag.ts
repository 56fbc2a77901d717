import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { stateTimeline, timeseries } from '../panels.ts';
import { promQuery } from '../queries.ts';
import { liveDashboard, prometheus, rate } from './common.ts';

/** Consumer lag with Burrow-style status, and the connector's flow, from Prometheus. */
export function kafkaLag(): Dashboard {
  return liveDashboard(
    'cdnfaas-kafka-lag',
    'cdnfaas: Kafka lag',
    'Consumer groups of the connector (one per function): lag, Burrow-style status, records and dead letters.',
  )
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
