// The one replay core: values sent to a topic on a schedule, through broker restarts and kill -9.
// `cdnfaas replay`, `npm run up`, the tests and the chaos run all send through it.
import { CompressionTypes, type Admin, type Kafka, type Producer } from 'kafkajs';
import { backoffDelay, sleep, type RetryPolicy } from '../lib/backoff.ts';
import { CdnfaasError } from '../lib/errors.ts';
import { kafkaRetry } from '../lib/kafka.ts';
import { clusterSize, requestGroups, type ClusterSize } from '../lib/kafka-request-groups.ts';
import { describePartitions, unansweredPartitions } from '../lib/kafka-unanswered.ts';
import type { Logger } from '../lib/logger.ts';

export interface ScheduledValue {
  value: string;
  /** Milliseconds after the start at which the value is due. */
  dueMs: number;
}

export interface SendPacedOptions {
  /** Values per produce request, at most. */
  chunkSize?: number;
  onProgress?: (sent: number, total: number) => void;
  /** Ends the replay between requests; the result then says how many were sent. */
  signal?: AbortSignal;
  logger?: Logger;
  /** How long to keep trying to reach Kafka again after kafkajs gave up, in ms. */
  reconnectTimeoutMs?: number;
}

export interface SendPacedResult {
  sent: number;
  elapsedMs: number;
  /** Chunks sent again after kafkajs gave up on them (each may have landed twice). */
  resends: number;
  /** Records in those chunks: at most this many can be in the topic twice. */
  resentRecords: number;
  /** Why kafkajs gave up, once per distinct reason. */
  resendReasons: string[];
  /** Records sent again because kafkajs reported their partition done without sending to it. */
  skippedRecords: number;
}

/** The topic's partition count: records are placed round robin by their place in the schedule. */
async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  return Math.max(1, metadata.topics[0]?.partitions.length ?? 1);
}

/** `values` due one after another at `rate` per second, the first 1/rate s after the start. Pure. */
export function evenlySpaced(values: readonly string[], rate: number): ScheduledValue[] {
  return values.map((value, index) => ({ value, dueMs: ((index + 1) * 1000) / rate }));
}

/** The values due `elapsedMs` into the schedule from `from` on, at most `chunkSize` of them. Pure. */
export function dueEnd(
  schedule: readonly ScheduledValue[],
  from: number,
  elapsedMs: number,
  chunkSize: number,
): number {
  let end = from;
  while (end < schedule.length && end - from < chunkSize && schedule[end]!.dueMs <= elapsedMs) end += 1;
  return end;
}

const reconnectPolicy: RetryPolicy = { initialDelayMs: 250, maxDelayMs: 3_000, factor: 2, jitter: 0.2 };

/**
 * Sends the scheduled values in order with an idempotent producer, each chunk once it is due.
 * kafkajs retries a request with the same sequence numbers while a broker restarts (no
 * duplicates). When it gives up (after a broker kill -9 the broker can answer
 * OUT_OF_ORDER_SEQUENCE_NUMBER to every later request of that producer, so waiting on it would
 * never end), the producer is replaced and the chunk sent again, and counted, because part of it
 * may have landed the first time: a source may duplicate, and the pipeline treats the two copies
 * as two events.
 */
export async function sendPaced(
  kafka: Kafka,
  topic: string,
  schedule: readonly ScheduledValue[],
  options: SendPacedOptions = {},
): Promise<SendPacedResult> {
  const { signal, logger } = options;
  const chunkSize = options.chunkSize ?? 500;
  const reconnectTimeoutMs = options.reconnectTimeoutMs ?? 120_000;
  const connect = async (): Promise<Producer> => {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: kafkaRetry.restartTolerant,
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  };
  /** A fresh producer after kafkajs gave up on the last one, tried until the deadline or abort. */
  const reconnect = async (): Promise<Producer> => {
    const deadline = performance.now() + reconnectTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await connect();
      } catch (error) {
        if (performance.now() >= deadline)
          throw new CdnfaasError(
            'SERVICE_UNREACHABLE',
            `Kafka did not come back within ${reconnectTimeoutMs / 1000} s`,
            {
              hint: 'check the brokers with `npx cdnfaas services status`, then replay the rest',
              context: { topic, sent, total: schedule.length },
              cause: error,
            },
          );
        await sleep(backoffDelay(reconnectPolicy, attempt), signal);
      }
    }
  };

  // With several brokers a request carries one partition at a time (see lib/kafka-request-groups.ts).
  const admin = kafka.admin();
  let producer: Producer;
  let partitions: number;
  let cluster: ClusterSize;
  try {
    await admin.connect();
    partitions = await partitionCount(admin, topic);
    cluster = await clusterSize(admin);
    producer = await connect();
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw new CdnfaasError('SERVICE_UNREACHABLE', `cannot reach Kafka to replay into ${topic}`, {
      hint: 'start the services with `npx cdnfaas services up`',
      context: { topic },
      cause: error,
    });
  }
  const started = performance.now();
  let sent = 0;
  let resends = 0;
  let resentRecords = 0;
  const resendReasons = new Set<string>();
  let skippedRecords = 0;
  try {
    while (sent < schedule.length && !signal?.aborted) {
      const waitMs = schedule[sent]!.dueMs - (performance.now() - started);
      if (waitMs > 1) await sleep(waitMs, signal);
      // Everything already due goes in one request; never more than a chunk.
      const end = dueEnd(
        schedule,
        sent,
        Math.max(performance.now() - started, schedule[sent]!.dueMs),
        chunkSize,
      );
      // No key: records spread over all partitions, so every replica of `provide` gets work. The
      // partition is named (round robin by place) so that a retry inside kafkajs keeps each
      // record where it was, and a partition it skipped can be told and sent again.
      const chunk = schedule
        .slice(sent, end)
        .map(({ value }, index) => ({ value, partition: (sent + index) % partitions }));
      for (const group of requestGroups([{ topic, messages: chunk }], cluster.brokers())) {
        let messages = group.flatMap((entry) => entry.messages);
        for (;;) {
          try {
            const answers = await producer.send({
              topic,
              acks: -1,
              compression: CompressionTypes.None,
              messages,
            });
            const skipped = unansweredPartitions([{ topic, messages }], answers);
            if (skipped.length === 0) break;
            // Never sent (kafkajs retried only towards brokers without an answer): no duplicates.
            const again = new Set(skipped.map((entry) => entry.partition));
            messages = messages.filter((message) => again.has(message.partition!));
            skippedRecords += messages.length;
            logger?.warn(
              { topic, sent, partitions: describePartitions(skipped), records: messages.length },
              'kafkajs reported partitions done without sending to them: sending their records again',
            );
          } catch (error) {
            if (signal?.aborted) throw error;
            resends += 1;
            resentRecords += messages.length;
            const reason = (error as Error).message;
            resendReasons.add(reason);
            logger?.warn(
              { topic, sent, chunk: messages.length, reason },
              'kafkajs gave up on a chunk: sending it again',
            );
            await producer.disconnect().catch(() => undefined);
            producer = await reconnect();
            await cluster.refresh().catch(() => undefined);
          }
        }
      }
      sent = end;
      options.onProgress?.(sent, schedule.length);
    }
  } catch (error) {
    // Shutdown asked for: what was sent so far is the answer, not an error.
    if (!signal?.aborted) throw error;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  return {
    sent,
    elapsedMs: performance.now() - started,
    resends,
    resentRecords,
    resendReasons: [...resendReasons],
    skippedRecords,
  };
}
