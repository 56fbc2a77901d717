// The librdkafka Kafka client (@confluentinc/kafka-javascript's native API): loaded at run time,
// since it is an optional dependency with a native build against the system's librdkafka, and
// typed here by the calls cdnfaas makes. The connector's hot path (connectors/kafka/rdkafka-*.ts)
// and the echo anchor (bench/anchors/echo-rdkafka.ts) use it.
import { createRequire } from 'node:module';
import { CdnfaasError } from './errors.ts';
import type { KafkaConnection } from './kafka.ts';

export type RdCallback<T = void> = (error: unknown, value: T) => void;

export interface RdMessage {
  value: Buffer | null;
  key: Buffer | string | null | undefined;
  topic: string;
  partition: number;
  offset: number;
  timestamp?: number;
}

export interface RdTopicPartition {
  topic: string;
  partition: number;
  offset?: number;
}

/** A librdkafka error as the binding reports it. */
export interface RdError extends Error {
  code: number;
  isFatal?: boolean;
  isRetriable?: boolean;
  isTxnRequiresAbort?: boolean;
}

export type RdHeaders = Record<string, string | Buffer>[];

export interface RdConsumer {
  connect(options: object, callback: RdCallback): void;
  subscribe(topics: string[]): void;
  consume(count: number, callback: RdCallback<RdMessage[]>): void;
  setDefaultConsumeTimeout(milliseconds: number): void;
  assign(partitions: RdTopicPartition[]): void;
  unassign(): void;
  pause(partitions: RdTopicPartition[]): void;
  resume(partitions: RdTopicPartition[]): void;
  position(partitions?: RdTopicPartition[]): RdTopicPartition[];
  committed(
    partitions: RdTopicPartition[],
    timeoutMs: number,
    callback: RdCallback<RdTopicPartition[]>,
  ): void;
  seek(partition: RdTopicPartition, timeoutMs: number, callback: RdCallback): void;
  commit(partitions: RdTopicPartition[]): void;
  on(
    event: 'offset.commit',
    listener: (error: RdError | undefined, offsets: RdTopicPartition[]) => void,
  ): void;
  on(event: 'event.error', listener: (error: RdError) => void): void;
  disconnect(callback: RdCallback): void;
}

export interface RdProducer {
  connect(options: object, callback: RdCallback): void;
  initTransactions(timeoutMs: number, callback: RdCallback): void;
  beginTransaction(callback: RdCallback): void;
  produce(
    topic: string,
    partition: number | null,
    value: Buffer | null,
    key?: Buffer | string | null,
    timestamp?: number | null,
    opaque?: unknown,
    headers?: RdHeaders,
  ): void;
  sendOffsetsToTransaction(
    offsets: RdTopicPartition[],
    consumer: RdConsumer,
    timeoutMs: number,
    callback: RdCallback,
  ): void;
  commitTransaction(timeoutMs: number, callback: RdCallback): void;
  abortTransaction(timeoutMs: number, callback: RdCallback): void;
  flush(timeoutMs: number, callback: RdCallback): void;
  setPollInterval(milliseconds: number): void;
  on(event: 'delivery-report', listener: (error: RdError | null, report: { opaque?: unknown }) => void): void;
  on(event: 'event.error', listener: (error: RdError) => void): void;
  disconnect(callback: RdCallback): void;
}

export type RdConfig = Record<string, string | number | boolean | ((...args: never[]) => void)>;

export interface RdkafkaModule {
  librdkafkaVersion: string;
  KafkaConsumer: new (config: RdConfig, topicConfig: RdConfig) => RdConsumer;
  Producer: new (config: RdConfig) => RdProducer;
  CODES: { ERRORS: Record<string, number> };
}

/** Why the librdkafka client cannot be used here. */
export interface MissingClient {
  status: 'missing';
  reason: string;
}

const packageName = '@confluentinc/kafka-javascript';
let loaded: RdkafkaModule | MissingClient | undefined;

/** The librdkafka client, or why it cannot be used here (not installed, or its native build failed). */
export function loadRdkafka(): RdkafkaModule | MissingClient {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)(packageName) as RdkafkaModule;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    loaded = { status: 'missing', reason: `${packageName} cannot be loaded: ${reason}` };
  }
  return loaded;
}

/**
 * Why `connection` needs kafkajs rather than librdkafka, or undefined when librdkafka can serve
 * it. Debian 12's librdkafka (2.0.2) cannot finish SCRAM with Kafka 4 (librdkafka#4895, fixed in
 * 2.6.1), so secure mode stays on kafkajs.
 */
export function rdkafkaUnsupported(connection: KafkaConnection, rdkafka: RdkafkaModule): string | undefined {
  if (connection.sasl === undefined && connection.tlsCa === undefined) return undefined;
  const [major = 0, minor = 0, patch = 0] = rdkafka.librdkafkaVersion.split('.').map(Number);
  if (major * 10_000 + minor * 100 + patch >= 20_601) return undefined;
  return `librdkafka ${rdkafka.librdkafkaVersion} cannot finish SCRAM with this Kafka (needs 2.6.1 or later)`;
}

/** The connection settings every librdkafka client of cdnfaas shares. */
export function rdkafkaConnection(connection: KafkaConnection): RdConfig {
  const config: RdConfig = { 'bootstrap.servers': connection.brokers.join(',') };
  if (connection.tlsCa !== undefined) {
    config['security.protocol'] = connection.sasl === undefined ? 'ssl' : 'sasl_ssl';
    config['ssl.ca.pem'] = connection.tlsCa;
  }
  if (connection.sasl !== undefined) {
    config['sasl.mechanisms'] = 'SCRAM-SHA-512';
    config['sasl.username'] = connection.sasl.username;
    config['sasl.password'] = connection.sasl.password;
  }
  return config;
}

/** How long cdnfaas waits for a librdkafka request (a commit, an offset read, a seek). */
export const rdRequestTimeoutMs = 30_000;

/** Disconnects a client, ignoring a failure: it is being dropped (after a fault, or at shutdown). */
export async function rdDisconnect(client: { disconnect(callback: RdCallback): void }): Promise<void> {
  await rdCall('disconnect', (done) => client.disconnect(done)).catch(() => undefined);
}

/** A librdkafka call with a callback as a promise; a failure names the operation and keeps librdkafka's error as its cause. */
export function rdCall<T = void>(operation: string, start: (callback: RdCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => {
      if (error)
        reject(
          new CdnfaasError('UPSTREAM_FAILED', `librdkafka ${operation} failed: ${describeRdError(error)}`, {
            cause: error,
          }),
        );
      else resolve(value);
    });
  });
}

function describeRdError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
