import { batchContentType, type BatchRecord } from '../../contracts/batch.ts';
import type { ClientData } from '../../contracts/client-data.ts';
import type { FunctionContext, FunctionEvent } from '../../template/node20-ts/function.ts';

/** A FunctionContext that records what the handler set, for handler tests. */
export interface RecordingContext extends FunctionContext {
  statusCode: number;
}

export function recordingContext(): RecordingContext {
  const context: RecordingContext = {
    statusCode: 200,
    status(code) {
      context.statusCode = code;
      return context;
    },
    headers: () => context,
    succeed: () => undefined,
    fail: () => undefined,
  };
  return context;
}

/** The event of an ad-hoc call with one JSON record (what `faas-cli invoke` sends). */
export function singleEvent(body: unknown): FunctionEvent {
  return { body, headers: { 'content-type': 'application/json' }, method: 'POST', query: {}, path: '/' };
}

/** The event of a connector batch call; records get consecutive offsets from `firstOffset`. */
export function batchEvent(
  topic: string,
  values: unknown[],
  options: { partition?: number; firstOffset?: number } = {},
): FunctionEvent {
  const partition = options.partition ?? 0;
  const first = options.firstOffset ?? 0;
  const records: BatchRecord[] = values.map((value, index) => ({
    topic,
    partition,
    offset: String(first + index),
    key: null,
    value,
  }));
  return batchEventOf(records);
}

/** The event of a connector batch call carrying `records` as they are. */
export function batchEventOf(records: BatchRecord[]): FunctionEvent {
  return {
    body: { records },
    headers: { 'content-type': batchContentType },
    method: 'POST',
    query: {},
    path: '/',
  };
}

type CsvColumn =
  | 'timestamp'
  | 'channel_id'
  | 'host_id'
  | 'content_type'
  | 'protocol'
  | 'content_id'
  | 'geo_location'
  | 'user_id';

/** The first row of the CDN test file, as the CSV reader hands it over; overrides change single columns. */
export function csvRow(overrides: Record<string, string> = {}): Record<CsvColumn, string> {
  return {
    timestamp: '2088-05-17 13:02:08',
    channel_id: '8',
    host_id: '156',
    content_type: '5',
    protocol: '1',
    content_id: '',
    geo_location: '1',
    user_id: '2.0',
    ...overrides,
  };
}

/** That row as provide stores it (cdn_client_data); overrides change single fields. */
export function clientDataRecord(overrides: Partial<ClientData> = {}): ClientData {
  return {
    sample_id: '0b6f5c2e-8a4d-5d1e-9c3b-2f7a1e4d6c8b',
    channel_id: 8,
    timestamp: '2088-05-17T13:02:08.000Z',
    host_id: 156,
    content_type: 5,
    protocol: 1,
    content_id: -1,
    geo_location: 1,
    user_id: 2,
    ...overrides,
  };
}
