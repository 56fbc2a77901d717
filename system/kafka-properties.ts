// The system's Kafka connection as a librdkafka properties file (kcat -F FILE, or any
// librdkafka-based client): what `cdnfaas credentials --kafka` prints.
import type { SystemConfig } from './config.ts';
import { kafkaConnection, kafkaSecurityFiles, type KafkaClientRole } from './kafka-connection.ts';

/** librdkafka properties for the connection; with SASL_SSL it names the CA file and holds the credentials. */
export function librdkafkaProperties(
  config: Pick<SystemConfig, 'kafka' | 'secure' | 'home'>,
  role: KafkaClientRole = 'tools',
): string {
  const connection = kafkaConnection(config, role);
  const files = kafkaSecurityFiles(config, role);
  const lines = [`bootstrap.servers=${connection.brokers.join(',')}`];
  if (files === undefined || connection.sasl === undefined) lines.push('security.protocol=plaintext');
  else
    lines.push(
      'security.protocol=sasl_ssl',
      'sasl.mechanisms=SCRAM-SHA-512',
      `sasl.username=${connection.sasl.username}`,
      `sasl.password=${connection.sasl.password}`,
      `ssl.ca.location=${files.caFile}`,
    );
  return `${lines.join('\n')}\n`;
}
