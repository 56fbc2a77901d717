import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Kafka } from 'kafkajs';
import { plainConnection } from '../lib/kafka.ts';
import type { Logger } from '../lib/logger.ts';
import { startBenchConnector, type GatewayProcess } from './connector-gateway.ts';
import { bar } from './connector-progress.ts';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

export interface LatencyOptions {
  gateway: GatewayProcess;
  kafka: Kafka;
  brokers: string[];
  logger: Logger;
  /** Function and topic name prefix. */
  name: string;
  /** Records per second, and for how long. */
  rate: number;
  seconds: number;
  batchSize: number;
  replicas: number;
  partitions: number;
}

export interface LatencyResult {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  invokeMs: number;
  publishMs: number;
  recordsPerCommit: number;
}

/**
 * Records produced at a steady rate, each carrying its send time, go through one echo stage; a
 * read_committed consumer of the output takes (arrival - sentAt) per record.
 */
export async function latencyRun(options: LatencyOptions): Promise<LatencyResult> {
  const { gateway, kafka, logger, name, batchSize, replicas } = options;
  const steadyRate = options.rate;
  const input = `${name}-in`;
  const output = `${name}-out`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [input, output].map((topic) => ({ topic, numPartitions: options.partitions })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  await gateway.deploy({
    service: name,
    image: 'cdnfaas/echo:0.1.0',
    annotations: { topic: input, 'cdnfaas.output': output, 'cdnfaas.batch.max-records': String(batchSize) },
    labels: { 'com.openfaas.scale.min': String(replicas) },
  });
  await gateway.waitForReady(name, replicas);
  const service = await startBenchConnector(gateway, plainConnection(options.brokers), logger);
  const reader = kafka.consumer({ groupId: `${name}-reader`, maxWaitTimeInMs: 50, readUncommitted: false });
  const latencies: { sentAt: number; ms: number }[] = [];
  await reader.connect();
  await reader.subscribe({ topic: output, fromBeginning: true });
  await reader.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const { sentAt } = JSON.parse(message.value!.toString()) as { sentAt: number };
        latencies.push({ sentAt, ms: now - sentAt });
      }
    },
  });
  // Let both consumer groups join before the clock starts.
  await sleep(5_000);
  const count = steadyRate * options.seconds;
  const progress = bar(`steady ${steadyRate} records/s`, count);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((steadyRate * tickMs) / 1000));
  const started = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * steadyRate) + perTick);
    if (due > sent) {
      const messages = Array.from({ length: due - sent }, (_, i) => ({
        key: `l${sent + i}`,
        value: JSON.stringify({ id: `l${sent + i}`, n: sent + i, sentAt: Date.now() }),
      }));
      await producer.send({ topic: input, messages, acks: -1 });
      sent = due;
      progress.update(sent, { note: `received ${latencies.length}` });
    }
    await sleep(tickMs);
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < count && Date.now() < deadline) await sleep(100);
  progress.update(sent, { note: `received ${latencies.length}` });
  progress.stop();
  await producer.disconnect();
  await reader.disconnect();
  const breakdown = stageBreakdown(await (await fetch(`${service.url}/metrics`)).text(), name);
  await service.stop();
  await gateway.remove(name);
  // The first two seconds warm the connections and the replicas' JIT: left out.
  const firstSentAt = Math.min(...latencies.map((entry) => entry.sentAt));
  const steady = latencies
    .filter((entry) => entry.sentAt >= firstSentAt + 2_000)
    .map((entry) => entry.ms)
    .sort((a, b) => a - b);
  if (latencies.length < count)
    throw new Error(`latency run: received ${latencies.length} of ${count} records`);
  return {
    p50: percentile(steady, 50),
    p99: percentile(steady, 99),
    max: steady[steady.length - 1]!,
    samples: steady.length,
    ...breakdown,
  };
}

/** Where the connector's time went: mean invoke and publish time, records per transaction. */
function stageBreakdown(
  metrics: string,
  fn: string,
): { invokeMs: number; publishMs: number; recordsPerCommit: number } {
  const sample = (name: string, extra = ''): number => {
    const line = metrics
      .split('\n')
      .find(
        (entry) =>
          entry.startsWith(`${name}{`) && entry.includes(`function="${fn}"`) && entry.includes(extra),
      );
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  const stage = (which: string) =>
    (sample('cdnfaas_connector_batch_stage_seconds_sum', `stage="${which}"`) /
      Math.max(1, sample('cdnfaas_connector_batch_stage_seconds_count', `stage="${which}"`))) *
    1000;
  const commits = sample('cdnfaas_connector_batch_seconds_count');
  return {
    invokeMs: Math.round(stage('invoke')),
    publishMs: Math.round(stage('publish')),
    recordsPerCommit: Math.round(
      sample('cdnfaas_connector_records_total', 'outcome="committed"') / Math.max(1, commits),
    ),
  };
}
