// How many records and predictions InfluxDB holds: the pipeline's end-to-end progress.
import { setTimeout as sleep } from 'node:timers/promises';
import { InfluxDB } from '@influxdata/influxdb-client';
import type { SystemConfig } from '../../../system/config.ts';
import { readInfluxQueryToken } from '../../../system/influx-credentials.ts';

export interface StoredCounts {
  clientData: number;
  predictions: number;
}

/** Flux that counts the points of one measurement over all time (the CDN data lives in 2088). */
export function countQuery(bucket: string, measurement: string): string {
  return `from(bucket: ${JSON.stringify(bucket)})
  |> range(start: 0, stop: 2200-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == ${JSON.stringify(measurement)} and r._field == "sample_id")
  |> group()
  |> count()`;
}

export async function readStoredCounts(config: SystemConfig): Promise<StoredCounts> {
  const api = new InfluxDB({ url: config.influxdb.url, token: readInfluxQueryToken(config) }).getQueryApi(
    config.influxdb.org,
  );
  const count = async (measurement: string) => {
    const rows = await api.collectRows<{ _value: number }>(countQuery(config.influxdb.bucket, measurement));
    return rows.reduce((sum, row) => sum + Number(row._value), 0);
  };
  const [clientData, predictions] = await Promise.all([count('cdn_client_data'), count('predictions')]);
  return { clientData, predictions };
}

/** Polls the counts until both reach `expected` or the time is up; reports each change. */
export async function countStored(
  config: SystemConfig,
  expected: number,
  timeoutMs: number,
  onChange: (counts: StoredCounts) => void,
): Promise<StoredCounts> {
  const deadline = Date.now() + timeoutMs;
  let last: StoredCounts = { clientData: -1, predictions: -1 };
  for (;;) {
    const counts = await readStoredCounts(config);
    const done = counts.clientData >= expected && counts.predictions >= expected;
    if (done || Date.now() > deadline) return counts;
    if (counts.clientData !== last.clientData || counts.predictions !== last.predictions) onChange(counts);
    last = counts;
    await sleep(2000);
  }
}
