import type { Admin, Kafka } from 'kafkajs';
import { CdnfaasError } from '../../lib/errors.ts';
import type { KafkaConnection } from '../../lib/kafka.ts';
import type { Logger } from '../../lib/logger.ts';
import { loadRdkafka, rdkafkaConnection, rdkafkaUnsupported } from '../../lib/rdkafka.ts';
import type { FunctionFeed } from './feed.ts';
import { kafkajsFeed } from './kafkajs-feed.ts';
import { rdkafkaFeed } from './rdkafka-feed.ts';

export type KafkaClientChoice = 'auto' | 'librdkafka' | 'kafkajs';

export type FeedFactory = (at: { groupId: string; topic: string; batchMaxBytes: number }) => FunctionFeed;

/**
 * The connector's Kafka client. librdkafka costs a third to a quarter of kafkajs's CPU per
 * record and speaks KIP-447 (docs/DESIGN.md, "The Kafka client"); it is an optional dependency
 * with a native build, so `auto` falls back to kafkajs, with the reason logged, where it is not
 * installed or cannot serve the connection.
 */
export function chooseFeed(
  choice: KafkaClientChoice,
  connection: KafkaConnection,
  kafkajs: { kafka: Kafka; admin: Admin },
  logger: Logger,
): FeedFactory {
  if (choice !== 'kafkajs') {
    const rdkafka = loadRdkafka();
    const reason = 'status' in rdkafka ? rdkafka.reason : rdkafkaUnsupported(connection, rdkafka);
    if (reason === undefined && !('status' in rdkafka)) {
      logger.info(
        { kafkaClient: 'librdkafka', librdkafka: rdkafka.librdkafkaVersion },
        'Kafka client chosen',
      );
      const config = rdkafkaConnection(connection);
      return (at) => rdkafkaFeed(rdkafka, config, at);
    }
    if (choice === 'librdkafka')
      throw new CdnfaasError('CONFIG_INVALID', `connector.kafkaClient is librdkafka, but ${reason}`, {
        hint: 'install librdkafka-dev and run `npm ci`, or set CONNECTOR_KAFKA_CLIENT=kafkajs',
      });
    logger.warn({ kafkaClient: 'kafkajs', reason }, 'librdkafka cannot be used; the connector uses kafkajs');
  } else logger.info({ kafkaClient: 'kafkajs' }, 'Kafka client chosen');
  return (at) => kafkajsFeed(kafkajs.kafka, kafkajs.admin, at);
}
