import { InfluxDB, type QueryApi } from '@influxdata/influxdb-client';
import { countPerFieldValueQuery, countPerTagQuery, countPointsQuery } from '../flux.ts';
import { keyedRowsFromFlux } from '../reducers/series.ts';
import type { PredictionWindows, StoredCount } from './types.ts';

/** Where predictions live and which columns mean what (see functions/load-predictions). */
export interface PredictionSchema {
  measurement: string;
  /** The integer field holding the cluster. */
  clusterField: string;
  /** The tag holding normal/anomaly. */
  verdictTag: string;
}

/** A measurement and a field that every one of its points carries, to count points by. */
export interface CountedMeasurement {
  measurement: string;
  field: string;
}

export function createQueryApi(url: string, token: string, org: string, timeoutMs: number): QueryApi {
  return new InfluxDB({ url, token, timeout: timeoutMs }).getQueryApi(org);
}

/** Predictions of the last window per cluster and per verdict tag, counted per step. */
export function readPredictionWindows(
  queryApi: QueryApi,
  bucket: string,
  schema: PredictionSchema,
  now: () => number = Date.now,
): (windowSeconds: number, stepSeconds: number) => Promise<PredictionWindows> {
  return async (windowSeconds, stepSeconds) => {
    // Up to the last complete window, so the newest point does not dip while its window fills.
    const stopMs = Math.floor(now() / (stepSeconds * 1000)) * stepSeconds * 1000;
    const range = {
      start: new Date(stopMs - windowSeconds * 1000).toISOString(),
      stop: new Date(stopMs).toISOString(),
    };
    const every = `${stepSeconds}s`;
    const predictions = { bucket, measurement: schema.measurement, field: schema.clusterField };
    const [perCluster, perTag] = await Promise.all([
      queryApi.collectRows<Record<string, unknown>>(countPerFieldValueQuery(predictions, range, every)),
      queryApi.collectRows<Record<string, unknown>>(
        countPerTagQuery(predictions, schema.verdictTag, range, every),
      ),
    ]);
    return { perCluster: keyedRowsFromFlux(perCluster), perTag: keyedRowsFromFlux(perTag) };
  };
}

/** Points stored per measurement over all time (a measurement with no points counts 0). */
export function readStoredCounts(
  queryApi: QueryApi,
  bucket: string,
  measurements: CountedMeasurement[],
): () => Promise<StoredCount[]> {
  return () =>
    Promise.all(
      measurements.map(async ({ measurement, field }) => {
        const rows = await queryApi.collectRows<{ _value?: unknown }>(
          countPointsQuery({ bucket, measurement, field }),
        );
        return { measurement, points: rows.reduce((sum, row) => sum + Number(row._value ?? 0), 0) };
      }),
    );
}
