import { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasources } from '../queries.ts';

// What every dashboard builder shares: the data sources, the rate window, the tags.
export const influx = datasources.influxdb;
export const prometheus = datasources.prometheus;
export const rate = (metric: string) => `rate(${metric}[$__rate_interval])`;
const tags = ['cdnfaas'];

export function base(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title).uid(uid).description(description).tags(tags).readonly().timezone('utc');
}

/** A dashboard of the last hour, refreshed every 10 s: what the running system does now. */
export function liveDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return base(uid, title, description).time({ from: 'now-1h', to: 'now' }).refresh('10s');
}
