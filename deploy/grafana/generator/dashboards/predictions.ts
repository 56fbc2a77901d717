import { type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  allTime,
  countPerFieldValueQuery,
  countPerTagQuery,
  countPointsQuery,
  tagShareQuery,
  topFieldValuesQuery,
  topTagValuesQuery,
} from '../../../../dashboard/flux.ts';
import { predictionMeasurement } from '../../../../functions/load-predictions/prediction-point.ts';
import { barGauge, stat, timeseries } from '../panels.ts';
import { fluxQuery, grafanaRange, grafanaWindow } from '../queries.ts';
import { liveDashboard, influx } from './common.ts';

/** Predictions (measurement predictions), at prediction time: live. */
export function predictions(bucket: string): Dashboard {
  const m = predictionMeasurement;
  const stored = { bucket, measurement: m, field: 'sample_id' };
  const predicted = { bucket, measurement: m, field: 'prediction' };
  return liveDashboard(
    'cdnfaas-predictions',
    'cdnfaas: predictions',
    `Clusters and anomaly tags written to ${m} by load-predictions, at prediction time.`,
  )
    .withPanel(
      stat({
        title: 'Predictions stored (all time)',
        description: `Points of ${m}.`,
        datasource: influx,
        targets: [fluxQuery(countPointsQuery(stored, allTime))],
        unit: 'short',
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Predictions in range',
        description: `Points of ${m} in the time range.`,
        datasource: influx,
        targets: [fluxQuery(countPointsQuery(stored, grafanaRange))],
        unit: 'short',
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Anomaly rate in range',
        description: 'Share of predictions tagged anomaly.',
        datasource: influx,
        targets: [fluxQuery(tagShareQuery(predicted, 'tag', 'anomaly', grafanaRange))],
        unit: 'percent',
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Predictions per cluster',
        description: 'Predictions per window by predicted cluster (the prediction field).',
        datasource: influx,
        targets: [fluxQuery(countPerFieldValueQuery(predicted, grafanaRange, grafanaWindow))],
        unit: 'short',
        stacked: true,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Normal and anomaly',
        description: 'Predictions per window by tag.',
        datasource: influx,
        targets: [fluxQuery(countPerTagQuery(predicted, 'tag', grafanaRange, grafanaWindow))],
        unit: 'short',
        stacked: true,
      }),
    )
    .withPanel(
      barGauge({
        title: 'Predictions per cluster in range',
        description: 'Total per cluster over the time range.',
        datasource: influx,
        targets: [fluxQuery(topFieldValuesQuery(predicted, grafanaRange, 50))],
        unit: 'short',
      }),
    )
    .withPanel(
      barGauge({
        title: 'Predictions per model version',
        description:
          'Total per pipeline_type (model name@version) over the time range: shows a rollout or rollback.',
        datasource: influx,
        targets: [fluxQuery(topTagValuesQuery(predicted, 'pipeline_type', grafanaRange, 10))],
        unit: 'short',
      }),
    )
    .build();
}
