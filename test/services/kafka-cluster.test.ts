// `services up` with kafka.nodes = 3, in a home of its own on free ports: three KRaft nodes from the
// cached jars, every configured topic with three replicas in sync and min.insync.replicas=2, clients
// of the one factory producing with acks=all and reading read_committed, through a node killed -9.
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesStatus, servicesUp } from '../../deploy/local/index.ts';
import { createKafkaService } from '../../deploy/local/kafka-service.ts';
import { isAlive, readRecord } from '../../deploy/local/processes.ts';
import { createKafka, kafkaRetry } from '../../lib/kafka.ts';
import { freePort } from '../../lib/ports.ts';
import { loadConfig, type SystemConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { servicePorts, tempConfig } from './support.ts';
import { readTopic } from '../connector/support/kafka.ts';

let config: SystemConfig;
let env: Record<string, string | undefined>;
let kafka: Kafka;
let admin: Admin;

/** A temporary home whose sources.yaml asks for three nodes, each on free broker and controller ports. */
async function clusterConfig(): Promise<{ config: SystemConfig; env: Record<string, string | undefined> }> {
  const setup = tempConfig(await servicePorts());
  const sources = parse(readFileSync(setup.sourcesFile, 'utf8'));
  const brokerPorts = [await freePort(), await freePort(), await freePort()];
  sources.kafka.nodes = 3;
  sources.kafka.brokers = brokerPorts.map((port) => `127.0.0.1:${port}`);
  sources.kafka.controllerPorts = [await freePort(), await freePort(), await freePort()];
  writeFileSync(setup.sourcesFile, stringify(sources));
  const clusterEnv = { ...setup.env, CDNFAAS_SOURCES: setup.sourcesFile };
  return { config: loadConfig({ file: setup.sourcesFile, env: clusterEnv }), env: clusterEnv };
}

/** An idempotent producer (acks=all, as every cdnfaas producer): a resend after a failover is not a second copy. */
async function produce(topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  } finally {
    await producer.disconnect();
  }
}

/** Every value of a topic, read from the start as read_committed until `expected` arrived and 2 s passed quietly. */
async function readValues(topic: string, expected: number): Promise<string[]> {
  return (await readTopic(kafka, topic, expected, 90_000, 2_000)).map((record) =>
    record.value!.toString('utf8'),
  );
}

beforeAll(async () => {
  ({ config, env } = await clusterConfig());
  await servicesUp(config, { only: ['kafka'], env });
  kafka = createKafka(kafkaConnection(config), {
    clientId: 'cluster-test',
    retry: kafkaRetry.restartTolerant,
  });
  admin = kafka.admin();
  await admin.connect();
}, 600_000);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  if (config) await servicesDown(config, { only: ['kafka'], env });
}, 120_000);

/** The leader of partition 0 once it is another node than `old`; metadata errors meanwhile are retried. */
async function leaderAfterFailover(topic: string, old: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const leader = meta!.partitions.find((partition) => partition.partitionId === 0)!.leader;
      if (leader >= 0 && leader !== old) return leader;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`partition 0 of ${topic} still led by node ${old} after 60 s`);
    await sleep(500);
  }
}

async function waitForFullIsr(topic: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    if (meta!.partitions.every((partition) => partition.isr.length === 3)) return;
    if (Date.now() > deadline) throw new Error(`${topic} has partitions short of three in-sync replicas`);
    await sleep(500);
  }
}

describe('a local three-node Kafka cluster', () => {
  it('runs three KRaft nodes, each its own process, all registered as brokers', async () => {
    const status = await servicesStatus(config, { only: ['kafka'], env });
    expect(status.map((report) => [report.address, report.state])).toEqual(
      config.kafka.brokers.map((address) => [address, 'running']),
    );
    const pids = new Set(status.map((report) => report.pid));
    expect(pids.size).toBe(3);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((broker) => broker.nodeId).sort()).toEqual([1, 2, 3]);
  });

  it('creates every configured topic with three replicas, all in sync, and min.insync.replicas=2', async () => {
    const names = config.topics.map((topic) => topic.name);
    const metadata = await admin.fetchTopicMetadata({ topics: names });
    for (const topic of metadata.topics) {
      const expected = config.topics.find((spec) => spec.name === topic.name)!;
      expect(topic.partitions, topic.name).toHaveLength(expected.partitions);
      for (const partition of topic.partitions) {
        expect(partition.replicas.sort(), `${topic.name}/${partition.partitionId}`).toEqual([1, 2, 3]);
        expect(partition.isr.sort(), `${topic.name}/${partition.partitionId}`).toEqual([1, 2, 3]);
      }
    }
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: names.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['min.insync.replicas'],
      })),
    });
    for (const resource of configs.resources)
      expect(resource.configEntries[0]?.configValue, resource.resourceName).toBe('2');
  });

  it('keeps every record produced with acks=all through a node killed with -9', async () => {
    const topic = 'cdn_raw';
    await produce(
      topic,
      Array.from({ length: 500 }, (_, i) => `before-${i}`),
    );
    // The leader of partition 0 goes, without a chance to hand over.
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const leader = meta!.partitions.find((partition) => partition.partitionId === 0)!.leader;
    const record = readRecord(createKafkaService(config, { env }, leader).run)!;
    process.kill(record.pid, 'SIGKILL');
    for (let waited = 0; isAlive(record.pid) && waited < 10_000; waited += 100) await sleep(100);
    expect(isAlive(record.pid)).toBe(false);

    // The controller fences the dead node after its session times out (about 9 s); until then
    // its partitions have no reachable leader. Clients wait for the new one, as the connector does.
    const newLeader = await leaderAfterFailover(topic, leader);
    expect(newLeader).not.toBe(leader);
    await produce(
      topic,
      Array.from({ length: 500 }, (_, i) => `after-${i}`),
    );

    // The node comes back with `services up`, which starts only what is missing, and catches up.
    await servicesUp(config, { only: ['kafka'], env });
    const values = await readValues(topic, 1_000);
    expect(new Set(values).size).toBe(1_000);
    expect(values).toHaveLength(1_000);
    await waitForFullIsr(topic);
  });
});
