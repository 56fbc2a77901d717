import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from './logger.ts';

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs retry settings for clients that must outlast a broker restart (about 25 s of retries
 * before kafkajs gives up), such as the replay's producer; after that the caller decides (the
 * replay replaces the producer). The connector tunes its own clients for its cycle instead.
 */
export const restartTolerantRetry = { retries: 10, initialRetryTime: 200, maxRetryTime: 3_000 } as const;

/** A kafkajs client whose own log lines go through our JSON logger (warnings and errors only). */
export function createKafka(
  brokers: string[],
  clientId: string,
  logger?: Logger,
  extra: Partial<KafkaConfig> = {},
): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...context } = log;
        logger?.[levelNames[level] ?? 'info']({ kafkajs: context }, message);
      },
    ...extra,
  });
}
