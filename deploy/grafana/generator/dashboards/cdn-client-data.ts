import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  allTime,
  countPerWindowQuery,
  countPointsQuery,
  topFieldValuesQuery,
  topTagValuesQuery,
} from '../../../../dashboard/flux.ts';
import { clientDataMeasurement } from '../../../../functions/load-data/client-data-point.ts';
import { barGauge, stat, timeseries } from '../panels.ts';
import { fluxQuery, grafanaRange, grafanaWindow } from '../queries.ts';
import { base, influx } from './common.ts';

/** The stored CDN records (measurement cdn_client_data), by record time. */
export function cdnClientData(bucket: string): Dashboard {
  const m = clientDataMeasurement;
  const records = { bucket, measurement: m, field: 'sample_id' };
  const top = (title: string, tag: string, limit: number) =>
    barGauge({
      title,
      description: `Records per ${tag} tag in the time range, the ${limit} largest.`,
      datasource: influx,
      targets: [fluxQuery(topTagValuesQuery(records, tag, grafanaRange, limit))],
      unit: 'short',
      width: 12,
      height: 10,
    });
  const values = (title: string, field: string, limit: number) =>
    barGauge({
      title,
      description: `Records per value of the ${field} field in the time range, the ${limit} most frequent.`,
      datasource: influx,
      targets: [fluxQuery(topFieldValuesQuery({ bucket, measurement: m, field }, grafanaRange, limit))],
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
        targets: [fluxQuery(countPointsQuery(records, allTime))],
        unit: 'short',
      }),
    )
    .withPanel(
      stat({
        title: 'Records in range',
        description: `Points of ${m} in the dashboard's time range.`,
        datasource: influx,
        targets: [fluxQuery(countPointsQuery(records, grafanaRange))],
        unit: 'short',
      }),
    )
    .withPanel(
      timeseries({
        title: 'Records per window (record time)',
        description: 'Records per time window of their own timestamps: the traffic shape, bursts included.',
        datasource: influx,
        targets: [fluxQuery(countPerWindowQuery(records, grafanaRange, grafanaWindow))],
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
