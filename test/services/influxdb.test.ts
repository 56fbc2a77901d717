// Real InfluxDB from the global setup: points written with the v2 client come back from a Flux query.
import { randomUUID } from 'node:crypto';
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { influxdbVersion } from '../../deploy/local/index.ts';
import { loadConfig, readInfluxToken } from '../../system/config.ts';
import { readInfluxQueryToken } from '../../system/influx-credentials.ts';

const config = loadConfig();
const { url, org, bucket } = config.influxdb;

describe('InfluxDB started by deploy/local', () => {
  it('answers /health', async () => {
    const response = await fetch(new URL('/health', url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; version: string };
    expect(body.status).toBe('pass');
    if (!config.externalInflux) expect(body.version).toBe(influxdbVersion);
  });

  it('stores points written with @influxdata/influxdb-client and returns them to a Flux query', async () => {
    const client = new InfluxDB({ url, token: readInfluxToken(config) });
    const measurement = `test_services_${randomUUID().replace(/-/g, '')}`;
    const base = Date.now() - 60_000;
    const written = [
      { host: '1', value: 10, at: base },
      { host: '2', value: 20, at: base + 1_000 },
      { host: '1', value: 30, at: base + 2_000 },
    ];
    const writer = client.getWriteApi(org, bucket, 'ms');
    for (const point of written) {
      writer.writePoint(
        new Point(measurement).tag('host_id', point.host).intField('value', point.value).timestamp(point.at),
      );
    }
    await writer.close();

    // The writer's token writes; reading takes the reader's (the same token without secure mode).
    const rows = await new InfluxDB({ url, token: readInfluxQueryToken(config) })
      .getQueryApi(org)
      .collectRows<{ _time: string; host_id: string; _value: number }>(
        `from(bucket: "${bucket}") |> range(start: -10m) |> filter(fn: (r) => r._measurement == "${measurement}" and r._field == "value")`,
      );
    const read = rows
      .map((row) => ({ host: row.host_id, value: row._value, at: Date.parse(row._time) }))
      .sort((a, b) => a.at - b.at);
    expect(read).toEqual(written);
  });
});
