// The echo-stage anchor: what an exactly-once consume-produce-commit stage that does no work costs
// with kafkajs and with librdkafka, on the same broker in the same process run. It is the ceiling
// the connector's Kafka client puts under every function, and the figures choose that client.
//
//   npx tsx bench/anchors/echo.ts --records 200000 [--partitions 6] [--brokers 127.0.0.1:9092]
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { CdnfaasError } from '../../lib/errors.ts';
import { createKafka, plainConnection } from '../../lib/kafka.ts';
import {
  describeFigures,
  median,
  newCounters,
  parseEchoArgs,
  shapeFigures,
  type EchoCounters,
  type EchoFigures,
  type EchoTopics,
  type MissingClient,
  type StartEchoStage,
} from './echo-figures.ts';
import { startKafkajsEcho } from './echo-kafkajs.ts';
import { loadRdkafka, startRdkafkaEcho } from './echo-rdkafka.ts';

export type { EchoFigures, MissingClient } from './echo-figures.ts';

export interface EchoAnchorOptions {
  brokers: string[];
  records: number;
  partitions: number;
  onProgress?: (line: string) => void;
}

export interface EchoAnchors {
  kafkajs: EchoFigures;
  librdkafka: EchoFigures | MissingClient;
}

const probes = 10;
const fillChunk = 10_000;

export async function measureEchoAnchors(options: EchoAnchorOptions): Promise<EchoAnchors> {
  const kafka = createKafka(plainConnection(options.brokers), { clientId: 'echo-anchor' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const kafkajs = await measureClient(kafka, admin, options, 'kafkajs', startKafkajsEcho);
    const rdkafka = loadRdkafka();
    if ('status' in rdkafka) {
      options.onProgress?.(`librdkafka: ${rdkafka.reason}`);
      return { kafkajs, librdkafka: rdkafka };
    }
    options.onProgress?.(`librdkafka ${rdkafka.librdkafkaVersion} loaded`);
    const start: StartEchoStage = (topics, counters) => startRdkafkaEcho(rdkafka, topics, counters);
    return { kafkajs, librdkafka: await measureClient(kafka, admin, options, 'librdkafka', start) };
  } finally {
    await admin.disconnect();
  }
}

/** Fresh topics, a filled input, a timed drain, then one-record probes against the idle stage. */
async function measureClient(
  kafka: Kafka,
  admin: Admin,
  options: EchoAnchorOptions,
  client: string,
  start: StartEchoStage,
): Promise<EchoFigures> {
  const topics = uniqueTopics(options.brokers, client);
  const progress = (line: string): void => options.onProgress?.(`${client}: ${line}`);
  await admin.createTopics({
    waitForLeaders: true,
    topics: [topics.input, topics.output].map((topic) => ({ topic, numPartitions: options.partitions })),
  });
  try {
    await fillInput(kafka, topics.input, options);
    progress(`input filled with ${options.records} records on ${options.partitions} partitions`);
    const counters = newCounters();
    const cpuBefore = process.cpuUsage();
    const stage = await start(topics, counters);
    try {
      await waitForDrain(counters, options.records, progress);
      const cpu = process.cpuUsage(cpuBefore);
      const figures = shapeFigures(counters, cpu.user + cpu.system);
      progress(`drained; probing one-record latency (${probes} probes)`);
      return { ...figures, oneRecordLatencyMs: await probeLatency(kafka, topics, counters) };
    } finally {
      await stage.stop();
    }
  } finally {
    await admin.deleteTopics({ topics: [topics.input, topics.output] }).catch(() => undefined);
  }
}

function uniqueTopics(brokers: string[], client: string): EchoTopics {
  const id = `echo-anchor-${client}-${randomUUID().slice(0, 8)}`;
  return { brokers, input: `${id}-in`, output: `${id}-out`, groupId: id, transactionalId: `${id}-tx` };
}

/** Records of about the size of a CDN client-error record, spread evenly over the partitions. */
async function fillInput(kafka: Kafka, topic: string, options: EchoAnchorOptions): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let first = 0; first < options.records; first += fillChunk) {
      const count = Math.min(fillChunk, options.records - first);
      const messages = Array.from({ length: count }, (_, i) => ({
        partition: (first + i) % options.partitions,
        value: recordValue(first + i),
      }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

function recordValue(index: number): string {
  return JSON.stringify({
    sample_id: index,
    channel_id: 3,
    host_id: 120,
    content_type: 2,
    geo_location: 4411,
  });
}

async function waitForDrain(
  counters: EchoCounters,
  records: number,
  progress: (line: string) => void,
): Promise<void> {
  // Generous: a drain slower than 2,000 records/s plus a minute for joining is a failure to report.
  const deadline = performance.now() + 60_000 + (records / 2_000) * 1000;
  let reported = 0;
  while (counters.records < records) {
    if (counters.failure !== undefined) throw counters.failure;
    if (performance.now() > deadline) {
      throw new CdnfaasError(
        'TIMEOUT',
        `echo stage drained ${counters.records} of ${records} records in time`,
      );
    }
    if (counters.records - reported >= records / 4) {
      reported = counters.records;
      progress(`${reported} records echoed`);
    }
    await sleep(20);
  }
}

/**
 * Median time from producing one record to the idle stage's input until a read_committed reader
 * of the output sees it. The reader is kafkajs for both clients, so the instrument is the same.
 */
async function probeLatency(kafka: Kafka, topics: EchoTopics, counters: EchoCounters): Promise<number> {
  const reader = await startProbeReader(kafka, topics);
  const producer = kafka.producer();
  await producer.connect();
  try {
    // The reader starts at the output's end only once it has fetched; a warm-up probe proves it has.
    await sendUntilSeen(producer, topics, reader, counters);
    const latencies: number[] = [];
    for (let i = 0; i < probes; i += 1) {
      await sleep(200);
      const started = performance.now();
      const probe = `probe-${i}-${randomUUID()}`;
      const seen = reader.await(probe, 10_000);
      await producer.send({ topic: topics.input, acks: -1, messages: [{ partition: 0, value: probe }] });
      await seen;
      latencies.push(performance.now() - started);
    }
    return Number(median(latencies).toFixed(2));
  } finally {
    await producer.disconnect();
    await reader.consumer.disconnect();
  }
}

interface ProbeReader {
  consumer: Consumer;
  await(value: string, timeoutMs: number): Promise<void>;
}

async function startProbeReader(kafka: Kafka, topics: EchoTopics): Promise<ProbeReader> {
  const waiting = new Map<string, () => void>();
  const consumer = kafka.consumer({
    groupId: `${topics.groupId}-probe`,
    readUncommitted: false,
    maxWaitTimeInMs: 20,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.output, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value?.toString() ?? '';
      waiting.get(value)?.();
      waiting.delete(value);
    },
  });
  await joined;
  return {
    consumer,
    await: (value, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(value);
          reject(
            new CdnfaasError('TIMEOUT', `probe ${value} not seen on ${topics.output} in ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiting.set(value, () => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

async function sendUntilSeen(
  producer: ReturnType<Kafka['producer']>,
  topics: EchoTopics,
  reader: ProbeReader,
  counters: EchoCounters,
): Promise<void> {
  for (let attempt = 0; attempt < 15; attempt += 1) {
    if (counters.failure !== undefined) throw counters.failure;
    const probe = `warm-up-${attempt}-${randomUUID()}`;
    const seen = reader.await(probe, 2_000);
    await producer.send({ topic: topics.input, acks: -1, messages: [{ partition: 0, value: probe }] });
    if (
      await seen.then(
        () => true,
        () => false,
      )
    )
      return;
  }
  throw new CdnfaasError('TIMEOUT', `no warm-up probe reached a reader of ${topics.output}`);
}

async function main(): Promise<void> {
  const args = parseEchoArgs(process.argv.slice(2), {
    records: 200_000,
    partitions: 6,
    brokers: ['127.0.0.1:9092'],
  });
  const anchors = await measureEchoAnchors({ ...args, onProgress: (line) => console.error(line) });
  console.log(describeFigures('kafkajs', anchors.kafkajs));
  console.log(describeFigures('librdkafka', anchors.librdkafka));
  console.log(JSON.stringify(anchors, null, 2));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof CdnfaasError ? error.describe() : error);
    process.exit(1);
  });
}
