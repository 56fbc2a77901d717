// Reading back what a run left behind: whole topics through kcat (librdkafka, read_committed,
// a different client than the pipeline's own), sample_ids from InfluxDB, and whether the
// pipeline has settled.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfluxDB } from '@influxdata/influxdb-client';
import type { Admin } from 'kafkajs';
import { groupIdFor } from '../contracts/kafka-names.ts';
import { CdnfaasError } from '../lib/errors.ts';
import { readGroupLag } from '../scaling/lag/reader.ts';
import type { SystemConfig } from '../system/config.ts';
import { readInfluxQueryToken } from '../system/influx-credentials.ts';
import type { ReadRecord } from './reconcile.ts';

interface KcatMessage {
  partition: number;
  offset: number;
  ts?: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/** One line of `kcat -J` as a read record. Pure. */
export function parseKcatLine(line: string): ReadRecord {
  const message = JSON.parse(line) as KcatMessage;
  const headers: Record<string, string> = {};
  const list = message.headers ?? [];
  for (let i = 0; i + 1 < list.length; i += 2) headers[list[i]!] = list[i + 1]!;
  return {
    partition: message.partition,
    offset: String(message.offset),
    key: message.key,
    value: message.payload,
    headers,
    ...(message.ts === undefined ? {} : { timestamp: message.ts }),
  };
}

/** Every committed record of a topic, from the beginning to its end, read by kcat. */
export function readTopic(brokers: string[], topic: string, timeoutMs = 120_000): Promise<ReadRecord[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'kcat',
      [
        '-b',
        brokers.join(','),
        '-C',
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-J',
        '-X',
        'isolation.level=read_committed',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const records: ReadRecord[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.trim() !== '') records.push(parseKcatLine(line));
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new CdnfaasError(
              'TOOL_MISSING',
              'kcat is not installed: the chaos run reads topics back with it',
              { hint: 'apt-get install -y kcat' },
            )
          : error,
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(records);
      else
        reject(
          new CdnfaasError(
            'UPSTREAM_FAILED',
            `kcat reading ${topic} ended with ${signal ?? `code ${code}`}: ${stderr.trim().slice(0, 300)}`,
          ),
        );
    });
  });
}

/** The sample_id field of every point of a measurement (the CDN data lives in 2088). */
export async function readSampleIds(config: SystemConfig, measurement: string): Promise<string[]> {
  const api = new InfluxDB({
    url: config.influxdb.url,
    token: readInfluxQueryToken(config, {}),
    timeout: 120_000,
  }).getQueryApi(config.influxdb.org);
  const query = `from(bucket: ${JSON.stringify(config.influxdb.bucket)})
  |> range(start: 0, stop: 2200-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == ${JSON.stringify(measurement)} and r._field == "sample_id")
  |> keep(columns: ["_value"])`;
  const ids: string[] = [];
  for await (const { values, tableMeta } of api.iterateRows(query))
    ids.push(String(tableMeta.toObject(values)._value));
  return ids;
}

export interface SettleTarget {
  function: string;
  topic: string;
}

/** Total consumer lag of the pipeline's groups; undefined while Kafka does not answer. */
export async function pipelineLag(admin: Admin, targets: SettleTarget[]): Promise<number | undefined> {
  try {
    const lags = await Promise.all(
      targets.map((target) => readGroupLag(admin, { ...target, groupId: groupIdFor(target.function) })),
    );
    return lags.reduce((sum, lag) => sum + lag.totalLag, 0);
  } catch {
    return undefined;
  }
}

/**
 * Waits until every group has consumed its topic to the end, three polls in a row; false when
 * the time is up first. A restarted function may still be re-reading, so one zero is not enough.
 */
export async function waitUntilSettled(
  admin: Admin,
  targets: SettleTarget[],
  timeoutMs: number,
  onPoll: (lag: number | undefined) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let zeros = 0;
  while (Date.now() < deadline) {
    const lag = await pipelineLag(admin, targets);
    onPoll(lag);
    zeros = lag === 0 ? zeros + 1 : 0;
    if (zeros >= 3) return true;
    await sleep(1_000);
  }
  return false;
}
