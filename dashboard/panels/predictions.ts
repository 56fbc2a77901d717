// The model's output from InfluxDB: predictions per cluster and the anomaly rate.
import { alignRows, perSecond, shareOf, totals } from '../reducers/series.ts';
import type { ChartPanel, StatTile } from '../view-model.ts';
import { chart, statusOf, tile, valueOf, type ViewContext } from './context.ts';

const windowMinutes = (context: ViewContext) => Math.round(context.options.predictionWindowSeconds / 60);

function predictionStatus(context: ViewContext) {
  const noPredictions = `no predictions in the last ${windowMinutes(context)} min`;
  return statusOf(context.latest?.predictions, 'predictions', (v) => v.perTag.length === 0, noPredictions);
}

const perTag = (context: ViewContext) =>
  alignRows(valueOf(context.latest?.predictions)?.perTag ?? [], context.options.predictionStepSeconds);

export function clustersChart(context: ViewContext): ChartPanel {
  const step = context.options.predictionStepSeconds;
  const rows = valueOf(context.latest?.predictions)?.perCluster ?? [];
  return chart(
    {
      id: 'clusters',
      title: 'Predictions/s per cluster',
      description: `Points of the predictions measurement per ${step} s window, by predicted cluster, last ${windowMinutes(context)} min.`,
    },
    'per-second',
    perSecond(
      alignRows(rows, step, (k) => `cluster ${k}`),
      step,
    ),
    predictionStatus(context),
  );
}

export function anomalyChart(context: ViewContext): ChartPanel {
  return chart(
    {
      id: 'anomaly',
      title: 'Anomaly rate',
      description: `Share of predictions tagged anomaly per ${context.options.predictionStepSeconds} s window.`,
    },
    'percent',
    shareOf(perTag(context), 'anomaly', 'anomaly'),
    predictionStatus(context),
  );
}

export function anomalyRateTile(context: ViewContext): StatTile {
  const tagTotals = totals(perTag(context));
  const predicted = [...tagTotals.values()].reduce((a, b) => a + b, 0);
  const rate = predicted > 0 ? (100 * (tagTotals.get('anomaly') ?? 0)) / predicted : null;
  return tile(
    'anomaly-rate',
    'anomaly rate',
    rate,
    'percent',
    predictionStatus(context),
    `last ${windowMinutes(context)} min`,
  );
}
