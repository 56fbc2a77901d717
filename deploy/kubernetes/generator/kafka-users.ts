import { cluster, consumerGroupFor, kafkaUsers, partOf, secrets } from './cluster.ts';
import type { Manifest } from './manifest.ts';

/**
 * Strimzi KafkaUser resources: SCRAM-SHA-512 users whose passwords come from Secrets created by
 * hand (README; never generated, never in git), with ACLs for exactly what each one does.
 */

interface Acl {
  resource: {
    type: 'topic' | 'group' | 'transactionalId' | 'cluster';
    name?: string;
    patternType?: 'literal' | 'prefix';
  };
  operations: string[];
}

/** Every consumer group and transactional id of the connector starts with this (connectors/kafka). */
const connectorPrefix = consumerGroupFor('');

function kafkaUser(name: string, acls: Acl[]): Manifest {
  const password = secrets.kafkaUser(name);
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaUser',
    metadata: {
      name,
      namespace: cluster.namespaces.kafka,
      labels: { 'strimzi.io/cluster': cluster.kafka.name, ...partOf },
    },
    spec: {
      authentication: {
        type: 'scram-sha-512',
        password: { valueFrom: { secretKeyRef: { name: password.name, key: password.passwordKey } } },
      },
      authorization: { type: 'simple', acls },
    },
  };
}

/**
 * The connector reads any function's input topic (functions name it in their `topic` annotation),
 * writes outputs and dead letters, creates `<topic>.dlq` when missing, and commits in
 * transactions under its own group and transactional-id prefix.
 */
export function connectorKafkaUser(): Manifest {
  return kafkaUser(kafkaUsers.connector, [
    {
      resource: { type: 'topic', name: '*', patternType: 'literal' },
      operations: ['Read', 'Write', 'Describe', 'DescribeConfigs', 'Create'],
    },
    {
      resource: { type: 'group', name: connectorPrefix, patternType: 'prefix' },
      operations: ['Read', 'Describe'],
    },
    {
      resource: { type: 'transactionalId', name: connectorPrefix, patternType: 'prefix' },
      operations: ['Write', 'Describe'],
    },
    { resource: { type: 'cluster' }, operations: ['Describe', 'IdempotentWrite'] },
  ]);
}

/** KEDA only reads offsets: topic and group metadata, nothing it could consume or change. */
export function kedaKafkaUser(): Manifest {
  return kafkaUser(kafkaUsers.keda, [
    { resource: { type: 'topic', name: '*', patternType: 'literal' }, operations: ['Describe'] },
    { resource: { type: 'group', name: connectorPrefix, patternType: 'prefix' }, operations: ['Describe'] },
  ]);
}
