import { cluster, partOf } from './cluster.ts';
import type { Manifest } from './manifest.ts';
import { kafkaClientPeers } from './network-policies.ts';

/** Strimzi resources: a KRaft Kafka cluster on one dual-role KafkaNodePool, and a KafkaTopic per topic. */

const strimziCluster = { 'strimzi.io/cluster': cluster.kafka.name };

export function kafkaNodePool(): Manifest {
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaNodePool',
    metadata: {
      name: 'dual-role',
      namespace: cluster.namespaces.kafka,
      labels: { ...strimziCluster, ...partOf },
    },
    spec: {
      replicas: cluster.kafka.nodes,
      roles: ['controller', 'broker'],
      storage: {
        type: 'jbod',
        volumes: [
          {
            id: 0,
            type: 'persistent-claim',
            size: cluster.kafka.storage,
            deleteClaim: false,
            kraftMetadata: 'shared',
          },
        ],
      },
    },
  };
}

export function kafkaCluster(): Manifest {
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'Kafka',
    metadata: {
      name: cluster.kafka.name,
      namespace: cluster.namespaces.kafka,
      labels: { ...partOf },
      annotations: { 'strimzi.io/node-pools': 'enabled', 'strimzi.io/kraft': 'enabled' },
    },
    spec: {
      kafka: {
        version: cluster.kafka.version,
        metadataVersion: cluster.kafka.metadataVersion,
        // The only client listener: TLS, SCRAM-SHA-512 users. Strimzi turns networkPolicyPeers into
        // a NetworkPolicy, so only the connector and KEDA's operator reach it.
        listeners: [
          {
            name: cluster.kafka.listener,
            port: cluster.kafka.port,
            type: 'internal',
            tls: true,
            authentication: { type: 'scram-sha-512' },
            networkPolicyPeers: kafkaClientPeers(),
          },
        ],
        // Each user may do what its KafkaUser's ACLs list, nothing else.
        authorization: { type: 'simple' },
        config: {
          'offsets.topic.replication.factor': cluster.kafka.replicationFactor,
          'transaction.state.log.replication.factor': cluster.kafka.replicationFactor,
          'transaction.state.log.min.isr': cluster.kafka.minInsyncReplicas,
          'default.replication.factor': cluster.kafka.replicationFactor,
          'min.insync.replicas': cluster.kafka.minInsyncReplicas,
          // Topics come from KafkaTopic resources only, so a typo in a topic name fails loudly.
          'auto.create.topics.enable': false,
        },
      },
      entityOperator: { topicOperator: {}, userOperator: {} },
    },
  };
}

/**
 * Kubernetes names allow a-z, 0-9, "-" and "."; Kafka topic names also allow "_" and capitals.
 * The resource name is derived, the real name is spec.topicName.
 */
export function topicResourceName(topic: string): string {
  const name = topic
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (name === '') throw new Error(`topic ${topic} has no usable characters for a Kubernetes name`);
  return name;
}

export function kafkaTopic(topic: { name: string; partitions: number }): Manifest {
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: {
      name: topicResourceName(topic.name),
      namespace: cluster.namespaces.kafka,
      labels: { ...strimziCluster, ...partOf },
    },
    spec: {
      topicName: topic.name,
      partitions: topic.partitions,
      replicas: cluster.kafka.replicationFactor,
      config: { 'min.insync.replicas': cluster.kafka.minInsyncReplicas },
    },
  };
}

export function kafkaTopics(topics: { name: string; partitions: number }[]): Manifest[] {
  const byResource = new Map<string, string>();
  for (const topic of topics) {
    const resource = topicResourceName(topic.name);
    const other = byResource.get(resource);
    if (other !== undefined)
      throw new Error(`topics ${other} and ${topic.name} map to the same KafkaTopic name ${resource}`);
    byResource.set(resource, topic.name);
  }
  return [...topics].sort((a, b) => (a.name < b.name ? -1 : 1)).map(kafkaTopic);
}
