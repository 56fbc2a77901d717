// How every cdnfaas process reaches Kafka, from the system configuration: the brokers, and in
// secure mode (next) the CA and the SCRAM credentials read from their files. lib/kafka.ts makes
// the clients; this decides what they connect with.
import type { KafkaConnection } from '../lib/kafka.ts';
import type { SystemConfig } from './config.ts';

/** The connection the system's clients share. */
export function kafkaConnection(config: Pick<SystemConfig, 'kafka'>): KafkaConnection {
  return { brokers: config.kafka.brokers };
}
