import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { readInfluxToken, type SystemConfig } from '../../../system/config.ts';

/** The InfluxDB token of the test services; an external InfluxDB 1.x without auth takes any. */
export function testInfluxToken(config: SystemConfig): string {
  try {
    return readInfluxToken(config);
  } catch {
    return 'no-auth';
  }
}

/**
 * Prediction points as load-predictions writes them (fields prediction and sample_id, tags tag
 * and pipeline_type), at prediction times spread over the last `spanMs`.
 */
export async function writePredictions(
  config: SystemConfig,
  measurement: string,
  count: number,
  spanMs: number,
): Promise<{ anomalies: number }> {
  const write = new InfluxDB({ url: config.influxdb.url, token: testInfluxToken(config) }).getWriteApi(
    config.influxdb.org,
    config.influxdb.bucket,
    'ms',
  );
  const now = Date.now();
  let anomalies = 0;
  for (let i = 0; i < count; i++) {
    const anomaly = i % 10 === 0;
    if (anomaly) anomalies++;
    write.writePoint(
      new Point(measurement)
        .tag('tag', anomaly ? 'anomaly' : 'normal')
        .tag('pipeline_type', 'kmeans@test')
        .intField('prediction', i % 4)
        .stringField('sample_id', `s-${i}`)
        .timestamp(new Date(now - Math.floor((spanMs * i) / count))),
    );
  }
  await write.close();
  return { anomalies };
}

/** Client-data points at the records' own timestamps, in 2088 like the published data. */
export async function writeClientData(
  config: SystemConfig,
  measurement: string,
  count: number,
): Promise<void> {
  const write = new InfluxDB({ url: config.influxdb.url, token: testInfluxToken(config) }).getWriteApi(
    config.influxdb.org,
    config.influxdb.bucket,
    'ms',
  );
  const start = Date.parse('2088-05-17T13:02:08Z');
  for (let i = 0; i < count; i++) {
    write.writePoint(
      new Point(measurement)
        .tag('user_id', String(i % 5))
        .tag('host_id', String(i % 7))
        .intField('channel_id', 8)
        .stringField('sample_id', `c-${i}`)
        .timestamp(new Date(start + i * 1000)),
    );
  }
  await write.close();
}

export async function dropMeasurements(config: SystemConfig, measurements: string[]): Promise<void> {
  for (const measurement of measurements) {
    const url = new URL('/query', config.influxdb.url);
    url.searchParams.set('db', config.influxdb.bucket);
    url.searchParams.set('q', `DROP MEASUREMENT "${measurement}"`);
    await fetch(url, {
      method: 'POST',
      headers: { authorization: `Token ${testInfluxToken(config)}` },
    }).catch(() => undefined);
  }
}

/** Produces `perTick` records every `everyMs` until stopped: a live incoming stream. */
export function streamRecords(
  kafka: Kafka,
  topic: string,
  perTick: number,
  everyMs: number,
): { stop: () => Promise<number> } {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  let sent = 0;
  let stopped = false;
  const running = (async () => {
    await producer.connect();
    while (!stopped) {
      const messages = Array.from({ length: perTick }, (_, i) => ({
        key: `k${sent + i}`,
        value: JSON.stringify({ n: sent + i }),
      }));
      await producer.send({ topic, acks: -1, messages });
      sent += perTick;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    await producer.disconnect();
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return sent;
    },
  };
}

/** Commits offset 0 on every partition for a group that has no members: all records count as lag. */
export async function commitAtStart(admin: Admin, groupId: string, topic: string): Promise<void> {
  const partitions = await admin.fetchTopicOffsets(topic);
  await admin.setOffsets({
    groupId,
    topic,
    partitions: partitions.map((p) => ({ partition: p.partition, offset: '0' })),
  });
}
