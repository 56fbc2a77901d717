import { batchContentType, type BatchRecord } from '../../contracts/batch.ts';
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
  return {
    body: { records },
    headers: { 'content-type': batchContentType },
    method: 'POST',
    query: {},
    path: '/',
  };
}
