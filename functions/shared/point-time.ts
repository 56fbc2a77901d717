import { hash } from 'node:crypto';
import type { RecordSource } from './record-source.ts';

/**
 * The time part of an InfluxDB point's identity (measurement + tag set + time). See
 * functions/README.md for why each measurement uses the scheme it does and the odds of a
 * collision. Everything here is pure and works in integer nanoseconds (bigint), the
 * resolution InfluxDB stores.
 */

export const nsPerSecond = 1_000_000_000n;
export const nsPerMillisecond = 1_000_000n;

/** A point in time in nanoseconds since 1970, and the precision its source text was written in. */
export interface Instant {
  ns: bigint;
  /** 1e9 for whole seconds, 1e6 for milliseconds, 1e3 for microseconds, 1 for nanoseconds. */
  precisionNs: bigint;
}

const fractionPattern = /[.,](\d+)/;

/** Parses an ISO 8601 date-time (already validated by the contract) without losing sub-ms digits. */
export function parseInstant(iso: string): Instant {
  const fraction = fractionPattern.exec(iso)?.[1] ?? '';
  const wholeSeconds = Date.parse(iso.replace(fractionPattern, ''));
  if (!Number.isFinite(wholeSeconds) || fraction.length > 9)
    throw new RangeError(`not an ISO 8601 date-time: ${iso}`);
  const fractionNs = BigInt(fraction.padEnd(9, '0') || '0');
  // The coarsest of second, ms, µs, ns that the fraction is a whole multiple of.
  let precisionNs = nsPerSecond;
  while (fractionNs % precisionNs !== 0n) precisionNs /= 1000n;
  return { ns: BigInt(wholeSeconds) * nsPerMillisecond + fractionNs, precisionNs };
}

/** A deterministic, uniformly spread slot in [0, slots) from the SHA-256 of `text`. */
export function hashSlot(text: string, slots: bigint): bigint {
  return hash('sha256', text, 'buffer').readBigUInt64BE(0) % slots;
}

/**
 * Time of a record stored at its event time (cdn_client_data): the timestamp floored to its own
 * precision plus a nanosecond offset inside that precision, drawn from the sample_id. The point
 * stays inside the instant the source wrote (a whole-second timestamp stays in its second), the
 * same record always lands on the same nanosecond, and distinct records sharing a timestamp and
 * tags spread over 1e9 (second) or 1e6 (millisecond) slots.
 */
export function eventPointTime(timestamp: string, sampleId: string): bigint {
  const { ns, precisionNs } = parseInstant(timestamp);
  return ns - (ns % precisionNs) + hashSlot(sampleId, precisionNs);
}

/**
 * Sub-millisecond layout of delivery slots: 64 partitions x 15,625 offsets = 1e6 nanoseconds.
 * Two records of one millisecond can only share a slot when their partitions are equal modulo 64
 * and their offsets equal modulo 15,625.
 */
export const partitionSlots = 64n;
export const offsetSlots = nsPerMillisecond / partitionSlots;

/** The nanosecond inside a millisecond that a record's Kafka coordinates own. */
export function coordinateSlot(source: Pick<RecordSource, 'partition' | 'offset'>): bigint {
  return (BigInt(source.offset) % offsetSlots) * partitionSlots + (BigInt(source.partition) % partitionSlots);
}

/**
 * Time of a record stored at the time it was made (predictions): that time in milliseconds plus
 * a sub-millisecond offset from the record's Kafka coordinates, which are unique per record and
 * identical on re-delivery. A whole batch is stamped in the same millisecond, so hashing alone
 * would collide (500 records in 1e6 slots: ~12% per batch); coordinates do not. An ad-hoc record
 * has no coordinates and falls back to a hash of its sample_id.
 */
export function deliveryPointTime(
  timestamp: string,
  sampleId: string,
  source: RecordSource | undefined,
): bigint {
  const { ns } = parseInstant(timestamp);
  const slot = source === undefined ? hashSlot(sampleId, nsPerMillisecond) : coordinateSlot(source);
  return ns - (ns % nsPerMillisecond) + slot;
}
