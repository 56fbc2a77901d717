import type { IHeaders, TopicMessages } from 'kafkajs';
import { dlqTopicFor } from '../../contracts/kafka-names.ts';
import { type Subscription } from './subscription.ts';
import { commitOffsetOf } from './partition-position.ts';
import type { BufferedRecord } from './records.ts';
import { messageBytes } from './request-chunks.ts';
import type { RejectedBy, Verdict } from './resolve-batch.ts';

/** Headers on every dead-letter record: enough to find the source record and replay it. */
export const dlqHeader = {
  function: 'cdnfaas-function',
  image: 'cdnfaas-image',
  reason: 'cdnfaas-reason',
  rejectedBy: 'cdnfaas-rejected-by',
  sourceTopic: 'cdnfaas-source-topic',
  sourcePartition: 'cdnfaas-source-partition',
  sourceOffset: 'cdnfaas-source-offset',
  deadLetteredAt: 'cdnfaas-dead-lettered-at',
  /** Set when the value was left out (see deadLetterMaxBytes): the value's size in bytes. */
  valueOmittedBytes: 'cdnfaas-value-omitted-bytes',
} as const;

/**
 * Largest dead letter (key, value and headers) that keeps the record's value. The connector
 * creates `<topic>.dlq` with the broker's default max.message.bytes (1 MiB), while an input topic
 * may take larger records: a dead letter the broker refuses would be retried forever and stall
 * the partition. Beyond this size the value is left out; the source coordinates lead back to it.
 */
export const deadLetterMaxBytes = 1_000_000;

/**
 * The broker's default max.message.bytes: the largest record batch a topic takes unless it is
 * configured otherwise. An output record too large for it would be refused with
 * MESSAGE_TOO_LARGE on every retry and stall its partition, so its input record is dead-lettered
 * instead, with the output's size as the reason.
 */
export const defaultMaxMessageBytes = 1_048_588;

function varintBytes(value: number): number {
  let zigzag = value < 0 ? -2 * value - 1 : 2 * value;
  let bytes = 1;
  while (zigzag >= 128) {
    zigzag = Math.floor(zigzag / 128);
    bytes += 1;
  }
  return bytes;
}

/**
 * Bytes of a record batch (Kafka's v2 format, uncompressed) holding one record without headers,
 * as the broker measures it against max.message.bytes. A record near that size travels alone
 * (request-chunks.ts), so its batch holds it only.
 */
export function oneRecordBatchBytes(keyBytes: number | null, valueBytes: number): number {
  const key = keyBytes === null ? varintBytes(-1) : varintBytes(keyBytes) + keyBytes;
  // attributes, timestamp delta 0, offset delta 0, key, value, header count 0
  const record = 1 + 1 + 1 + key + varintBytes(valueBytes) + valueBytes + 1;
  const batchHeader = 61;
  return batchHeader + varintBytes(record) + record;
}

function textBytes(text: string): number {
  // A UTF-16 length is at most 3 bytes a unit: count the bytes only when it could be too large.
  return text.length * 3 < defaultMaxMessageBytes ? text.length : Buffer.byteLength(text);
}

function outputBatchBytes(output: { key: string | null; value: string }): number {
  return oneRecordBatchBytes(output.key === null ? null : textBytes(output.key), textBytes(output.value));
}

/** The next offset to consume of one input partition, committed with a cycle's messages. */
export interface PartitionOffset {
  partition: number;
  offset: string;
}

export interface PublishPlan {
  topicMessages: TopicMessages[];
  outputRecords: number;
  deadLetters: { record: BufferedRecord; reason: string; by: RejectedBy }[];
  /** The consumer offsets to commit with these messages: one per input partition of the cycle. */
  offsets: PartitionOffset[];
}

function deadLetterHeaders(
  spec: Subscription,
  record: BufferedRecord,
  reason: string,
  by: RejectedBy,
  now: Date,
): IHeaders {
  return {
    [dlqHeader.function]: spec.name,
    [dlqHeader.image]: spec.image,
    [dlqHeader.reason]: reason,
    [dlqHeader.rejectedBy]: by,
    [dlqHeader.sourceTopic]: record.topic,
    [dlqHeader.sourcePartition]: String(record.partition),
    [dlqHeader.sourceOffset]: record.offset,
    [dlqHeader.deadLetteredAt]: now.toISOString(),
  };
}

/**
 * What one finished cycle publishes: each output value to every output topic in record order
 * (to the input's partition number when `outputPartitions` knows the topic's count),
 * each rejected record (its original key and bytes, the bytes left out beyond deadLetterMaxBytes)
 * to `<topic>.dlq`, and for every input
 * partition the offset to commit: past its last record, or `positionOnly` for partitions that
 * only moved past transaction markers. Records of one partition come in offset order; the
 * partitions may interleave. Pure: the publisher only sends it.
 */
export function planPublish(
  spec: Subscription,
  records: readonly BufferedRecord[],
  verdicts: readonly Verdict[],
  positionOnly: readonly PartitionOffset[] = [],
  now = new Date(),
  outputPartitions: ReadonlyMap<string, number> = new Map(),
): PublishPlan {
  if (records.length !== verdicts.length || records.length + positionOnly.length === 0) {
    throw new Error(
      `planPublish needs one verdict per record and something to commit (${records.length} records, ${verdicts.length} verdicts)`,
    );
  }
  const outputs: { key: string | null; value: string; from: number }[] = [];
  const deadLetters: PublishPlan['deadLetters'] = [];
  const dlqMessages: TopicMessages['messages'] = [];
  // Named partitions, as for outputs: a send that skipped one can then be told (lib/kafka-unanswered.ts).
  const dlqCount = outputPartitions.get(dlqTopicFor(spec.topic));
  const lastOfPartition = new Map<number, BufferedRecord>();
  records.forEach((record, index) => {
    lastOfPartition.set(record.partition, record);
    let verdict = verdicts[index]!;
    if (verdict.status === 'ok') {
      const encoded = verdict.outputs.map((output) => ({
        key: output.key,
        value: JSON.stringify(output.value),
        from: record.partition,
      }));
      const largest = Math.max(0, ...encoded.map(outputBatchBytes));
      if (largest <= defaultMaxMessageBytes) {
        outputs.push(...encoded);
        return;
      }
      verdict = {
        status: 'rejected',
        by: 'connector',
        reason: `function output of ${largest} bytes (as a record batch) exceeds ${defaultMaxMessageBytes} bytes, the broker's default max.message.bytes`,
      };
    }
    deadLetters.push({ record, reason: verdict.reason, by: verdict.by });
    const headers = deadLetterHeaders(spec, record, verdict.reason, verdict.by, now);
    const whole = { key: record.key, value: record.value, headers };
    const letter =
      messageBytes(whole) <= deadLetterMaxBytes
        ? whole
        : {
            key: record.key,
            value: null,
            headers: { ...headers, [dlqHeader.valueOmittedBytes]: String(record.value?.length ?? 0) },
          };
    dlqMessages.push(dlqCount === undefined ? letter : { ...letter, partition: record.partition % dlqCount });
  });
  const topicMessages: TopicMessages[] = [];
  if (outputs.length > 0) {
    for (const topic of spec.outputs) {
      // Co-partitioned: an output goes to its input's partition number, so each partition's
      // order holds end to end and no key is hashed; by key only where the counts are unknown.
      const count = outputPartitions.get(topic);
      topicMessages.push({
        topic,
        messages: outputs.map(({ key, value, from }) =>
          count === undefined ? { key, value } : { key, value, partition: from % count },
        ),
      });
    }
  }
  if (dlqMessages.length > 0) topicMessages.push({ topic: dlqTopicFor(spec.topic), messages: dlqMessages });
  const offsets: PartitionOffset[] = [...lastOfPartition.values()].map((record) => ({
    partition: record.partition,
    offset: commitOffsetOf([record]).toString(),
  }));
  for (const entry of positionOnly)
    if (!lastOfPartition.has(entry.partition))
      offsets.push({ partition: entry.partition, offset: entry.offset });
  return { topicMessages, outputRecords: outputs.length * spec.outputs.length, deadLetters, offsets };
}
