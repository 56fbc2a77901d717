// The one place kafkajs clients are made: the connector, the replay, the dashboard, status, the
// services' health checks, bench and chaos all call createKafka with the same connection (brokers
// and, in secure mode, TLS and SASL), so each reads records the way the connector does.
import { Kafka, logLevel, type KafkaConfig, type LogEntry, type RetryOptions } from 'kafkajs';
import { installAbortedRecordFilter } from './kafka-aborted-records.ts';
import { installCoordinatorCache } from './kafka-coordinator-cache.ts';
import type { Logger } from './logger.ts';

/** SASL/SCRAM credentials; read from files by the caller, never from arguments or the environment. */
export interface KafkaSasl {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}

/** Where Kafka is and how to prove who we are: what every client of one system shares. */
export interface KafkaConnection {
  brokers: string[];
  /** The CA certificate (PEM) that signed the brokers' certificates; TLS is on when set. */
  tlsCa?: string;
  sasl?: KafkaSasl;
}

/** Named kafkajs retry settings, so each kind of client says which one it wants. */
export const kafkaRetry = {
  /**
   * For clients that must outlast a broker restart (about 25 s of retries before kafkajs gives
   * up), such as the replay's producer; after that the caller decides (the replay replaces it).
   */
  restartTolerant: { retries: 10, initialRetryTime: 200, maxRetryTime: 3_000 },
  /** The connector's: a failed request surfaces within seconds, the cycle retries the whole of it. */
  connector: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
  /** Health probes: one attempt, the caller asks again. */
  none: { retries: 0 },
} as const satisfies Record<string, RetryOptions>;

export interface KafkaClientOptions {
  clientId: string;
  /** kafkajs's own log lines go here (warnings and errors); none are written without it. */
  logger?: Logger;
  retry?: RetryOptions;
  /** Milliseconds to open a connection (kafkajs's default is 1,000). */
  connectionTimeout?: number;
  /** Milliseconds a request may take (kafkajs's default is 30,000). */
  requestTimeout?: number;
}

const levelName: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

// Producers get few retries on purpose: a failed send surfaces to the caller, which redoes the
// transaction or resends, and logs it.
const limitedRetriesWarning = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';

/**
 * kafkajs logs retriable protocol errors (e.g. a coordinator or leader moving) at ERROR although it
 * retries them: those are lowered to warn so that real errors stand out.
 */
function logCreator(logger: Logger | undefined): KafkaConfig['logCreator'] {
  const kafkaLogger = logger?.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      if (kafkaLogger === undefined || log.message === limitedRetriesWarning) return;
      const { message, timestamp: _timestamp, logger: _logger, ...context } = log;
      const retriable =
        (context as { retriable?: boolean }).retriable === true || typeof context.error === 'string';
      const name = level === logLevel.ERROR && retriable ? 'warn' : (levelName[level] ?? 'info');
      kafkaLogger[name]({ namespace, ...context }, message);
    };
}

/** The kafkajs settings for a connection, without the client's own options. Pure. */
export function kafkaSecurityConfig(
  connection: KafkaConnection,
): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> {
  return {
    brokers: connection.brokers,
    ...(connection.tlsCa === undefined ? {} : { ssl: { ca: [connection.tlsCa], rejectUnauthorized: true } }),
    ...(connection.sasl === undefined ? {} : { sasl: { ...connection.sasl } }),
  };
}

/**
 * A kafkajs client on the system's connection. read_committed consumers of every client skip
 * records of aborted transactions (kafkajs 2.2.4 alone lets some through, see
 * kafka-aborted-records.ts), and coordinators are looked up once, not before every request
 * (kafka-coordinator-cache.ts).
 */
export function createKafka(connection: KafkaConnection, options: KafkaClientOptions): Kafka {
  installAbortedRecordFilter();
  installCoordinatorCache();
  return new Kafka({
    clientId: options.clientId,
    ...kafkaSecurityConfig(connection),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.connectionTimeout === undefined ? {} : { connectionTimeout: options.connectionTimeout }),
    ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
    logLevel: options.logger === undefined ? logLevel.NOTHING : logLevel.WARN,
    logCreator: logCreator(options.logger),
  });
}

/** The connection of a plain list of brokers (tests and tools that talk to an unsecured Kafka). */
export function plainConnection(brokers: string[]): KafkaConnection {
  return { brokers };
}
