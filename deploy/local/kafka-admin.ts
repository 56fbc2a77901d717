// Talking to a running Kafka: is it healthy, and are the configured topics there.
import type { Admin } from 'kafkajs';
import { createKafka, type KafkaConnection } from '../../lib/kafka.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import type { TopicSpec } from '../../system/config.ts';
import type { HealthResult } from './health.ts';
import { planTopics, type TopicPlan } from './plan.ts';

function admin(connection: KafkaConnection, retries: number): Admin {
  const kafka = createKafka(connection, {
    clientId: 'cdnfaas-services',
    connectionTimeout: 1_500,
    requestTimeout: 5_000,
    retry: { retries },
  });
  return kafka.admin({ retry: { retries } });
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Healthy when a broker answers a metadata request (which needs the KRaft controller up) and,
 * for a node of a cluster, lists that node among the brokers.
 */
export async function kafkaHealth(connection: KafkaConnection, nodeId?: number): Promise<HealthResult> {
  const client = admin(connection, 0);
  try {
    const cluster = await withDeadline(
      client.connect().then(() => client.describeCluster()),
      8_000,
      'metadata request',
    );
    const registered = nodeId === undefined || cluster.brokers.some((broker) => broker.nodeId === nodeId);
    return {
      healthy: cluster.brokers.length > 0 && registered,
      detail: `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)${registered ? '' : `, node ${nodeId} not registered yet`}`,
    };
  } catch (error) {
    return { healthy: false, detail: (error as Error).message };
  } finally {
    await client.disconnect().catch(() => {});
  }
}

export interface TopicReplication {
  /** Replicas of each new topic (the broker's default when absent). */
  replicationFactor?: number;
  /** min.insync.replicas of each new topic: acks=all writes need that many copies. */
  minInsyncReplicas?: number;
  /** Wait until this many brokers have registered before creating anything. */
  brokers?: number;
}

const brokersWaitMs = 120_000;

async function waitForBrokers(client: Admin, expected: number): Promise<void> {
  const deadline = Date.now() + brokersWaitMs;
  for (;;) {
    const { brokers } = await client.describeCluster();
    if (brokers.length >= expected) return;
    if (Date.now() > deadline)
      throw new CdnfaasError(
        'SERVICE_UNHEALTHY',
        `only ${brokers.length} of ${expected} Kafka brokers registered within ${brokersWaitMs / 1000} s`,
        {
          hint: 'look at the log of each node under <cdnfaas home>/kafka-cluster/node-<id>/kafka.log',
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits until every partition of the topics has a leader and all its replicas in sync. */
async function waitForReplicas(client: Admin, topics: TopicSpec[], replicas: number): Promise<void> {
  const deadline = Date.now() + brokersWaitMs;
  let last = 'no metadata yet';
  for (;;) {
    try {
      const metadata = await client.fetchTopicMetadata({ topics: topics.map((topic) => topic.name) });
      const short = metadata.topics.flatMap((topic) =>
        topic.partitions
          .filter((partition) => partition.leader < 0 || partition.isr.length < replicas)
          .map((partition) => `${topic.name}/${partition.partitionId}`),
      );
      const complete = metadata.topics.every(
        (topic) => topic.partitions.length === topics.find((t) => t.name === topic.name)?.partitions,
      );
      if (short.length === 0 && complete) return;
      last = `${short.length} partition(s) without a leader or short of ${replicas} in-sync replicas`;
    } catch (error) {
      last = (error as Error).message; // a broker that has not heard of a new topic yet: ask again
    }
    if (Date.now() > deadline)
      throw new CdnfaasError(
        'SERVICE_UNHEALTHY',
        `new topics not fully replicated within ${brokersWaitMs / 1000} s: ${last}`,
        {
          hint: 'look at the log of each node under <cdnfaas home>/kafka-cluster/node-<id>/kafka.log',
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Creates missing topics and adds partitions to short ones; running it twice changes nothing. */
export async function ensureTopics(
  connection: KafkaConnection,
  topics: TopicSpec[],
  replication: TopicReplication = {},
): Promise<TopicPlan> {
  const client = admin(connection, 5);
  await client.connect();
  try {
    await waitForBrokers(client, replication.brokers ?? 1);
    const metadata = await client.fetchTopicMetadata();
    const existing = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
    const plan = planTopics(topics, existing);
    if (plan.create.length > 0) {
      await client.createTopics({
        // kafkajs's own wait gives up when a broker has not heard of a new topic yet, which happens
        // in a cluster; waitForReplicas below waits for Kafka's whole answer instead.
        waitForLeaders: replication.brokers === undefined || replication.brokers === 1,
        topics: plan.create.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          ...(replication.replicationFactor === undefined
            ? {}
            : { replicationFactor: replication.replicationFactor }),
          ...(replication.minInsyncReplicas === undefined
            ? {}
            : {
                configEntries: [
                  { name: 'min.insync.replicas', value: String(replication.minInsyncReplicas) },
                ],
              }),
        })),
      });
    }
    if (plan.grow.length > 0) {
      await client.createPartitions({
        topicPartitions: plan.grow.map((topic) => ({ topic: topic.name, count: topic.partitions })),
      });
    }
    if (plan.create.length > 0 && (replication.brokers ?? 1) > 1)
      await waitForReplicas(client, plan.create, replication.replicationFactor ?? 1);
    return plan;
  } finally {
    await client.disconnect().catch(() => {});
  }
}

export function describeTopicPlan(plan: TopicPlan): string {
  const parts = [];
  if (plan.create.length)
    parts.push(`created ${plan.create.map((t) => `${t.name}(${t.partitions})`).join(', ')}`);
  if (plan.grow.length) parts.push(`grew ${plan.grow.map((t) => `${t.name}(${t.partitions})`).join(', ')}`);
  if (plan.unchanged.length) parts.push(`${plan.unchanged.length} already present`);
  return `topics: ${parts.join('; ') || 'none configured'}`;
}
