// Talking to a running Kafka: is it healthy, and are the configured topics there.
import type { Admin } from 'kafkajs';
import { createKafka, type KafkaConnection } from '../../lib/kafka.ts';
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

/** Healthy when a broker answers a metadata request (which needs the KRaft controller up). */
export async function kafkaHealth(connection: KafkaConnection): Promise<HealthResult> {
  const client = admin(connection, 0);
  try {
    const cluster = await withDeadline(
      client.connect().then(() => client.describeCluster()),
      8_000,
      'metadata request',
    );
    return {
      healthy: cluster.brokers.length > 0,
      detail: `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`,
    };
  } catch (error) {
    return { healthy: false, detail: (error as Error).message };
  } finally {
    await client.disconnect().catch(() => {});
  }
}

/** Creates missing topics and adds partitions to short ones; running it twice changes nothing. */
export async function ensureTopics(connection: KafkaConnection, topics: TopicSpec[]): Promise<TopicPlan> {
  const client = admin(connection, 5);
  await client.connect();
  try {
    const metadata = await client.fetchTopicMetadata();
    const existing = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
    const plan = planTopics(topics, existing);
    if (plan.create.length > 0) {
      await client.createTopics({
        waitForLeaders: true,
        topics: plan.create.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions })),
      });
    }
    if (plan.grow.length > 0) {
      await client.createPartitions({
        topicPartitions: plan.grow.map((topic) => ({ topic: topic.name, count: topic.partitions })),
      });
    }
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
