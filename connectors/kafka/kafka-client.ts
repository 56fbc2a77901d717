import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../../lib/logger.ts';
import { installAbortedRecordFilter } from './aborted-records.ts';

const levelName: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

const limitedRetriesWarning = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/**
 * A kafkajs client whose own logs go through the service's JSON logger. kafkajs logs retriable
 * protocol errors (e.g. a coordinator moving) at ERROR although it retries them: those are
 * lowered to warn so real errors stand out.
 */
export function createKafka(brokers: string[], clientId: string, logger: Logger): Kafka {
  // read_committed must not deliver aborted records (see aborted-records.ts).
  installAbortedRecordFilter();
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        // Producers get few retries on purpose: a failed send surfaces to the connector, which
        // aborts and redoes the whole transaction (or resends for a sink) and logs it.
        if (log.message === limitedRetriesWarning) return;
        const { message, timestamp: _timestamp, logger: _logger, ...context } = log;
        const retriable =
          (context as { retriable?: boolean }).retriable === true || typeof context.error === 'string';
        const name = level === logLevel.ERROR && retriable ? 'warn' : (levelName[level] ?? 'info');
        kafkaLogger[name]({ namespace, ...context }, message);
      },
  });
}
