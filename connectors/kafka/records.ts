import type { BatchRecord } from '../../contracts/batch.ts';
import type { BatchLimits } from './function-spec.ts';

/** A consumed Kafka record waiting in a partition buffer. */
export interface BufferedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Bytes this record adds to a batch request (key, value and the JSON envelope). */
  size: number;
  /**
   * The offset to commit once this record and every one before it are done. For the last record
   * of a fetch it lies past trailing transaction markers, so an idle partition shows no lag.
   */
  commitOffset: string;
  /** When the connector received it (ms since epoch), for batch age and end-to-end latency. */
  receivedAt: number;
}

/** JSON syntax around each record in a batch request: coordinates and field names. */
const envelopeBytes = 96;

export function recordSize(key: Buffer | null, value: Buffer | null): number {
  return (key?.length ?? 0) + (value?.length ?? 0) + envelopeBytes;
}

export type DecodedRecord = { ok: true; record: BatchRecord } | { ok: false; reason: string };

/**
 * Turns a Kafka record into a batch record for the function, or a reason it never reaches the
 * function: no value, a value over the batch byte limit, or a value that is not JSON.
 */
export function decodeRecord(buffered: BufferedRecord, maxBytes: number): DecodedRecord {
  if (buffered.value === null) return { ok: false, reason: 'record has no value (tombstone)' };
  if (buffered.size > maxBytes) {
    return {
      ok: false,
      reason: `record of ${buffered.size} bytes exceeds the batch limit of ${maxBytes} bytes (cdnfaas.batch.max-bytes)`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(buffered.value.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
  }
  return {
    ok: true,
    record: {
      topic: buffered.topic,
      partition: buffered.partition,
      offset: buffered.offset,
      key: buffered.key === null ? null : buffered.key.toString('utf8'),
      value,
    },
  };
}

/** How many records from the front of a buffer form the next batch: at least one. */
export function batchLength(sizes: readonly number[], limits: BatchLimits): number {
  let bytes = 0;
  let count = 0;
  for (const size of sizes) {
    if (count >= limits.maxRecords) break;
    if (count > 0 && bytes + size > limits.maxBytes) break;
    bytes += size;
    count += 1;
  }
  return count;
}

export interface BufferState {
  records: number;
  bytes: number;
  /** Age of the oldest buffered record in ms. */
  oldestAgeMs: number;
}

/**
 * Milliseconds until the buffer should be flushed as a batch: 0 when it is full by count or
 * bytes or its oldest record waited max-wait, Infinity when it is empty.
 */
export function flushDelay(state: BufferState, limits: BatchLimits): number {
  if (state.records === 0) return Infinity;
  if (state.records >= limits.maxRecords || state.bytes >= limits.maxBytes) return 0;
  return Math.max(0, limits.maxWaitMs - state.oldestAgeMs);
}
