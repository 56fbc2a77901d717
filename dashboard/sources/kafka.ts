import type { Admin } from 'kafkajs';
import { createKafka, kafkaRetry, type KafkaConnection } from '../../lib/kafka.ts';
import { readGroupLag, type LagTarget } from '../../scaling/lag/reader.ts';
import type { GroupLag, TopicOffsets } from './types.ts';

export type { LagTarget };

/**
 * A Kafka admin client for reading offsets every few seconds: short timeouts and no retries,
 * because the next tick is the retry, and quiet, because the dashboard reports failures itself.
 * Connects on first use and again after a failure.
 */
export function createDashboardAdmin(connection: KafkaConnection): {
  use: <T>(call: (admin: Admin) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
} {
  const kafka = createKafka(connection, {
    clientId: 'cdnfaas-dashboard',
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: kafkaRetry.none,
  });
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;
  const connected = () =>
    (connecting ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      admin = client;
      return client;
    })().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    }));
  return {
    async use(call) {
      const client = await connected();
      try {
        return await call(client);
      } catch (error) {
        connecting = undefined;
        admin = undefined;
        await client.disconnect().catch(() => undefined);
        throw error;
      }
    },
    async close() {
      const client = admin ?? (await connecting?.catch(() => undefined));
      connecting = undefined;
      admin = undefined;
      await client?.disconnect().catch(() => undefined);
    },
  };
}

/** End offsets of the given topics that exist (a topic not created yet is simply not shown). */
export async function readTopicOffsets(admin: Admin, topics: string[]): Promise<TopicOffsets[]> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((topic) => existing.has(topic));
  return Promise.all(
    present.map(async (topic) => {
      const partitions = await admin.fetchTopicOffsets(topic);
      return { topic, endOffset: partitions.reduce((sum, p) => sum + Number(p.high), 0) };
    }),
  );
}

/**
 * Lag of each group read directly from Kafka, as the lag monitor reads it, but without its
 * commit history: the Burrow status is UNKNOWN. Used where no lag monitor answers.
 */
export async function readGroupsLag(admin: Admin, targets: LagTarget[]): Promise<GroupLag[]> {
  const existing = new Set(await admin.listTopics());
  const groups = await Promise.all(
    targets.filter((target) => existing.has(target.topic)).map((target) => readGroupLag(admin, target)),
  );
  return groups.map((group) => ({
    group: group.groupId,
    function: group.function,
    topic: group.topic,
    totalLag: group.totalLag,
    status: 'UNKNOWN',
    partitions: group.partitions.map((p) => ({ partition: p.partition, lag: p.lag, status: 'UNKNOWN' })),
  }));
}
