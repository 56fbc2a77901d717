import type { RawRecord } from '../contracts/raw-record.ts';
import { createKafka, type KafkaConnection } from '../lib/kafka.ts';
import type { Logger } from '../lib/logger.ts';
import { planReplay, type PlanOptions } from './replay-plan.ts';
import { sendPaced, type SendPacedResult } from './send-paced.ts';

export interface ReplayOptions extends PlanOptions {
  /** Kafka's brokers and, in secure mode, TLS and SASL (system/kafka-connection.ts). */
  kafka: KafkaConnection;
  topic: string;
  /** Records per produce request. */
  chunkSize?: number;
  logger?: Logger;
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
  /** How long to keep trying to reach Kafka again after kafkajs gave up on a request, in ms. */
  reconnectTimeoutMs?: number;
}

export type ReplayResult = SendPacedResult;

/**
 * Publishes records to Kafka in timestamp order, keeping their relative timing at the given speed
 * (or as fast as possible), through broker restarts (see sendPaced for what may then land twice).
 */
export async function replay(records: readonly RawRecord[], options: ReplayOptions): Promise<ReplayResult> {
  const schedule = planReplay(records, options).map(({ record, dueMs }) => ({
    value: JSON.stringify(record),
    dueMs,
  }));
  const kafka = createKafka(options.kafka, { clientId: 'cdnfaas-replay', logger: options.logger });
  return sendPaced(kafka, options.topic, schedule, {
    chunkSize: options.chunkSize,
    onProgress: options.onProgress,
    signal: options.signal,
    logger: options.logger,
    reconnectTimeoutMs: options.reconnectTimeoutMs,
  });
}
