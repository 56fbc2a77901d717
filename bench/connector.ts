/**
 * `npm run bench:connector`: what the connector costs over a plain kafkajs loop, and its
 * end-to-end latency.
 *
 * 1. Throughput: one echo stage (Kafka -> connector -> gateway -> echo replica -> Kafka) drains a
 *    backlog; a plain kafkajs consume+produce loop with the same batch size and parallelism
 *    drains the same backlog. Both are run with the topic-stage guarantee (a transaction per
 *    batch) and at least once (produce, then commit). Rate = records/s between 10 % and 90 %
 *    consumed, so group joins do not count. Efficiency = connector / loop.
 * 2. Latency: records produced at a steady rate (default 5,000/s) go through the echo stage;
 *    a read_committed consumer of the output takes (arrival - sentAt) per record.
 *
 * Environment: BENCH_RECORDS (200000), BENCH_BATCH (500), BENCH_REPLICAS (2), BENCH_RATE (5000),
 * BENCH_SECONDS (20), BENCH_PHASES (throughput,latency). Kafka comes from `cdnfaas services`
 * (or KAFKA_BROKERS).
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { groupIdFor } from '../contracts/kafka-names.ts';
import { createKafka, kafkaRetry } from '../lib/kafka.ts';
import { kafkaConnection } from '../system/kafka-connection.ts';
import { servicesUp } from '../deploy/local/index.ts';
import { createLogger } from '../lib/logger.ts';
import { readGroupLag } from '../scaling/lag/reader.ts';
import { loadConfig, projectRoot } from '../system/config.ts';
import { startBaselineLoop } from './connector-baseline.ts';
import { startBenchConnector, startGatewayProcess, type GatewayProcess } from './connector-gateway.ts';
import { latencyRun } from './connector-latency.ts';
import { bar } from './connector-progress.ts';
import { benchSettings } from './settings.ts';

const env = process.env;
const settings = benchSettings({ records: 200_000, batch: 500, replicas: 2, rate: 5_000, seconds: 20 });
const phases = new Set((env.BENCH_PHASES ?? 'throughput,latency').split(',').map((phase) => phase.trim()));
const partitions = 6;
const runId = Date.now().toString(36);
const outDir = join(projectRoot, 'bench/out');
mkdirSync(outDir, { recursive: true });
const logger = createLogger({
  service: 'bench',
  level: 'warn',
  destination: createWriteStream(join(outDir, 'connector.log')),
});

async function createTopics(admin: Admin, ...topics: string[]): Promise<void> {
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
    waitForLeaders: true,
  });
}

/** Records/s between 10 % and 90 % consumed by the group. */
async function measureDrain(admin: Admin, groupId: string, topic: string, phase: string): Promise<number> {
  const progress = bar(phase, settings.records);
  let t10: number | undefined;
  let t90: number | undefined;
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const consumed =
      settings.records - (await readGroupLag(admin, { function: '', groupId, topic })).totalLag;
    const now = performance.now();
    if (t10 === undefined && consumed >= settings.records * 0.1) t10 = now;
    if (t90 === undefined && consumed >= settings.records * 0.9) t90 = now;
    progress.update(consumed, {
      note:
        t10 !== undefined && t90 === undefined
          ? `${Math.round(((consumed - settings.records * 0.1) / (now - t10)) * 1000) || 0} rec/s`
          : '',
    });
    if (consumed >= settings.records) break;
    await sleep(100);
  }
  progress.stop();
  if (t10 === undefined || t90 === undefined)
    throw new Error(`${phase}: the group did not drain ${topic} in time`);
  return (settings.records * 0.8) / ((t90 - t10) / 1000);
}

async function fill(kafka: Kafka, topic: string): Promise<void> {
  const progress = bar('filling input topic', settings.records);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let start = 0; start < settings.records; start += 5_000) {
    const messages = Array.from({ length: Math.min(5_000, settings.records - start) }, (_, i) => {
      const n = start + i;
      return { key: `k${n}`, value: JSON.stringify({ id: `k${n}`, n, sentAt: Date.now() }) };
    });
    await producer.send({ topic, messages, acks: -1 });
    progress.update(start + messages.length);
  }
  await producer.disconnect();
}

async function connectorRun(
  gateway: GatewayProcess,
  admin: Admin,
  name: string,
  input: string,
  delivery: 'transactional' | 'sink',
): Promise<number> {
  const output = `${name}-out`;
  await createTopics(admin, output);
  await gateway.deploy({
    service: name,
    image: 'cdnfaas/echo:0.1.0',
    annotations: {
      topic: input,
      'cdnfaas.output': output,
      'cdnfaas.delivery': delivery,
      'cdnfaas.batch.max-records': String(settings.batch),
    },
    labels: { 'com.openfaas.scale.min': String(settings.replicas) },
  });
  await gateway.waitForReady(name, settings.replicas);
  const service = await startBenchConnector(gateway, kafkaConnection(loadConfig()), logger);
  try {
    return await measureDrain(
      admin,
      groupIdFor(name),
      input,
      `connector, ${delivery === 'sink' ? 'at least once' : 'exactly once'}`,
    );
  } finally {
    await service.stop();
    await gateway.remove(name);
  }
}

async function baselineRun(
  kafka: Kafka,
  admin: Admin,
  name: string,
  input: string,
  transactional: boolean,
): Promise<number> {
  const output = `${name}-out`;
  await createTopics(admin, output);
  const loop = await startBaselineLoop({
    kafka,
    input,
    output,
    groupId: name,
    batchSize: settings.batch,
    transactional,
  });
  try {
    return await measureDrain(
      admin,
      name,
      input,
      `kafkajs loop, ${transactional ? 'exactly once' : 'at least once'}`,
    );
  } finally {
    await loop.stop();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  console.log(
    `cdnfaas connector benchmark: ${settings.records} records, batches of ${settings.batch}, ${partitions} partitions, ${settings.replicas} echo replicas`,
  );
  await servicesUp(config, { only: ['kafka'] });
  const gateway = await startGatewayProcess({
    stack: join(projectRoot, 'test/fixtures/stack.echo.yml'),
    function: 'echo',
  });
  const kafka = createKafka(kafkaConnection(config), {
    clientId: 'cdnfaas-bench',
    logger,
    retry: kafkaRetry.connector,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const report: Record<string, unknown> = {
      at: new Date().toISOString(),
      total: settings.records,
      batchSize: settings.batch,
      replicas: settings.replicas,
      partitions,
      steadyRate: settings.rate,
    };
    if (phases.has('throughput')) {
      const input = `bench-${runId}-in`;
      await createTopics(admin, input);
      await fill(kafka, input);
      const connectorExactlyOnce = await connectorRun(
        gateway,
        admin,
        `bench-eo-${runId}`,
        input,
        'transactional',
      );
      const loopExactlyOnce = await baselineRun(kafka, admin, `bench-loop-eo-${runId}`, input, true);
      const connectorAtLeastOnce = await connectorRun(gateway, admin, `bench-alo-${runId}`, input, 'sink');
      const loopAtLeastOnce = await baselineRun(kafka, admin, `bench-loop-alo-${runId}`, input, false);
      Object.assign(report, { connectorExactlyOnce, loopExactlyOnce, connectorAtLeastOnce, loopAtLeastOnce });
      const rows = [
        ['exactly once (transaction per batch)', connectorExactlyOnce, loopExactlyOnce],
        ['at least once (produce, then commit)', connectorAtLeastOnce, loopAtLeastOnce],
      ] as const;
      console.log('\nthroughput, records/s                  connector   kafkajs loop   efficiency');
      for (const [label, connector, loop] of rows) {
        console.log(
          `${label.padEnd(38)} ${Math.round(connector).toString().padStart(8)} ${Math.round(loop).toString().padStart(14)} ${(connector / loop).toFixed(2).padStart(12)}`,
        );
      }
    }
    if (phases.has('latency')) {
      const latency = await latencyRun({
        gateway,
        kafka,
        brokers: config.kafka.brokers,
        logger,
        name: `bench-lat-${runId}`,
        rate: settings.rate,
        seconds: settings.seconds,
        batchSize: settings.batch,
        replicas: settings.replicas,
        partitions,
      });
      report.latency = latency;
      console.log(
        `\nend-to-end latency at ${settings.rate} records/s (read_committed, ${latency.samples} records): p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`,
      );
      console.log(
        `  connector: invoke ${latency.invokeMs} ms and publish ${latency.publishMs} ms per batch on average, ${latency.recordsPerCommit} records per transaction; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
      );
    }
    writeFileSync(join(outDir, 'connector.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nreport: bench/out/connector.json, connector logs: bench/out/connector.log`);
  } finally {
    await admin.disconnect();
    await gateway.stop();
  }
}

await main();
process.exit(0);
