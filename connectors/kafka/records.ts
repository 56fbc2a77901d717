/** A fetched record as both Kafka clients hand it over. */
export interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** The record's Kafka timestamp (ms since epoch, as text). */
  timestamp: string;
}

/** A consumed Kafka record waiting in a partition's position, or taken into a cycle. */
export interface BufferedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Bytes this record adds to a batch request (key, value and the JSON envelope). */
  size: number;
  /**
   * Set on the last record of a fetch only: the offset to commit once it is done, which lies past
   * trailing transaction markers, so an idle partition shows no lag. Otherwise offset + 1.
   */
  commitOffset: string | undefined;
  /** When the connector received it (ms since epoch), for batch wait and end-to-end latency. */
  receivedAt: number;
  /** The record's Kafka timestamp (ms since epoch): when its producer created it. */
  producedAt: number;
}

/** A record on its way to the function: its coordinates and its JSON text in the batch request. */
export interface WireRecord {
  topic: string;
  partition: number;
  offset: string;
  /** `{"topic":…,"partition":…,"offset":…,"key":…,"value":…}` with the value's own bytes. */
  json: string;
}

/** JSON syntax around each record in a batch request: coordinates and field names. */
const envelopeBytes = 96;

export function recordSize(key: Buffer | null, value: Buffer | null): number {
  return (key?.length ?? 0) + (value?.length ?? 0) + envelopeBytes;
}

export type EncodedRecord = { ok: true; record: WireRecord } | { ok: false; reason: string };

/**
 * Turns a Kafka record into its part of a batch request, or a reason it never reaches the
 * function: no value, a value over the batch byte limit, or a value that is not JSON. Its own
 * text goes into the request, so it is never serialised again. A value from outside the stack is
 * parsed only to know that it is JSON (one bad value would otherwise spoil the whole request);
 * one the connector wrote itself (`fromStack`) is JSON already and is not parsed at all.
 */
export function encodeRecord(buffered: BufferedRecord, maxBytes: number, fromStack = false): EncodedRecord {
  if (buffered.value === null) return { ok: false, reason: 'record has no value (tombstone)' };
  if (buffered.size > maxBytes) {
    return {
      ok: false,
      reason: `record of ${buffered.size} bytes exceeds the batch limit of ${maxBytes} bytes (cdnfaas.batch.max-bytes)`,
    };
  }
  const text = buffered.value.toString('utf8');
  if (!fromStack) {
    try {
      JSON.parse(text);
    } catch (error) {
      return { ok: false, reason: `value is not JSON: ${(error as Error).message}` };
    }
  }
  const key = buffered.key === null ? 'null' : JSON.stringify(buffered.key.toString('utf8'));
  return {
    ok: true,
    record: {
      topic: buffered.topic,
      partition: buffered.partition,
      offset: buffered.offset,
      json: `{"topic":${JSON.stringify(buffered.topic)},"partition":${buffered.partition},"offset":"${buffered.offset}","key":${key},"value":${text}}`,
    },
  };
}

/** The body of a batch request (contracts/batch.ts) from records already encoded. */
export function batchBody(records: readonly WireRecord[]): string {
  let body = '{"records":[';
  for (let index = 0; index < records.length; index += 1) {
    if (index > 0) body += ',';
    body += records[index]!.json;
  }
  return `${body}]}`;
}
