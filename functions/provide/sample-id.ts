import { hash } from 'node:crypto';
import type { ClientData } from '../../contracts/client-data.ts';
import type { RecordSource } from '../shared/record-source.ts';

/** The namespace of every sample_id (RFC 9562 name-based UUIDs need one); never change it. */
export const sampleIdNamespace = '6f1c2f7e-3b0a-4c55-9d1e-5a8b7c3d2e10';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

const namespaceBytes = new Map<string, Buffer>();

/** RFC 9562 version 5 UUID: SHA-1 over namespace and name, with version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  let prefix = namespaceBytes.get(namespace);
  if (prefix === undefined) namespaceBytes.set(namespace, (prefix = uuidBytes(namespace)));
  const bytes = hash('sha1', Buffer.concat([prefix, Buffer.from(name, 'utf8')]), 'buffer').subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The stable id of a raw record. The name is a canonical form: the normalised values in a
 * fixed column order (so column order, `13.0` vs `13` and timestamp spelling do not matter)
 * plus the record's Kafka coordinates. The coordinates are what tells apart two rows with the
 * same content (common once timestamps are coarse, e.g. truncated to the minute), and they are
 * the same when the connector re-delivers the record, so reprocessing yields the same id.
 */
export function sampleIdOf(values: Omit<ClientData, 'sample_id'>, source?: RecordSource): string {
  const canonical = [
    values.timestamp,
    values.channel_id,
    values.host_id,
    values.content_type,
    values.protocol,
    values.content_id,
    values.geo_location,
    values.user_id,
  ].join(',');
  const origin = source === undefined ? '' : `@${source.topic}/${source.partition}/${source.offset}`;
  return uuidV5(`${canonical}${origin}`, sampleIdNamespace);
}
