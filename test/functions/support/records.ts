import { batchContentType, type BatchRecord } from '../../../contracts/batch.ts';
import type { ClientData } from '../../../contracts/client-data.ts';
import type { RawRecord } from '../../../contracts/raw-record.ts';
import { provideRecord } from '../../../functions/provide/stage.ts';
import { csvRow } from '../../../functions/shared/testing.ts';

/** A CDN row as the CSV reader hands it over; `overrides` change single columns. */
export function rawRow(overrides: Partial<Record<string, string>> = {}): RawRecord {
  return { ...csvRow({ timestamp: '2088-05-17 13:02:00' }), ...overrides } as RawRecord;
}

/** Kafka records of a topic spread over partitions round-robin, with per-partition offsets. */
export function kafkaRecords(
  topic: string,
  values: unknown[],
  partitions = 6,
  firstOffset = 0,
): BatchRecord[] {
  return values.map((value, index) => ({
    topic,
    partition: index % partitions,
    offset: String(firstOffset + Math.floor(index / partitions)),
    key: null,
    value,
  }));
}

/** Raw rows through `provide`, as they would arrive on cdn_client_data_storage. */
export function provided(rows: RawRecord[], firstOffset = 0): ClientData[] {
  return kafkaRecords('cdn_raw', rows, 6, firstOffset).map((record) => {
    const result = provideRecord(record as BatchRecord & { value: RawRecord });
    if (result.status !== 'ok') throw new Error(`fixture row refused: ${result.reason}`);
    return result.outputs[0]!.value as ClientData;
  });
}

// The events the unit tests build, under the names the integration tests use.
export { batchEventOf, singleEvent as singleEventOf } from '../../../functions/shared/testing.ts';

/** POSTs a connector batch to a replica, as the connector does. */
export async function postBatch(
  url: string,
  records: BatchRecord[],
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': batchContentType },
    body: JSON.stringify({ records }),
  });
  return { status: response.status, body: await response.json() };
}
