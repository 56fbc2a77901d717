// The records each stage takes as input, made from the same generated CDN rows: raw rows for
// provide, ClientData (through provide's own parser) for predict and load-data, Predictions for
// load-predictions. Pure.
import type { ClientData } from '../../contracts/client-data.ts';
import type { Prediction } from '../../contracts/prediction.ts';
import { chaosRecords } from '../../chaos/records.ts';
import { toClientData } from '../../functions/provide/to-client-data.ts';

export function rawValues(count: number, seed: number): string[] {
  return chaosRecords(count, 0, seed).map((record) => record.value);
}

export function clientDataOf(values: readonly string[]): ClientData[] {
  return values.map((value, offset) => {
    const parsed = toClientData(JSON.parse(value) as Record<string, string>, {
      topic: 'cdn_raw',
      partition: 0,
      offset: String(offset),
    });
    if (!parsed.ok) throw new Error(`generated row ${offset} refused: ${parsed.reason}`);
    return parsed.value;
  });
}

export function predictionsOf(records: readonly ClientData[], at: Date): Prediction[] {
  return records.map((record, i) => ({
    sample_id: record.sample_id,
    prediction_timestamp: new Date(at.getTime() + Math.floor(i / 1000)).toISOString(),
    prediction: i % 5,
    tag: i % 100 === 0 ? 'anomaly' : 'normal',
    pipeline_type: 'kmeans@bench',
  }));
}

/** The input of each stage as Kafka values, keyed like the stage before it writes them. */
export function stageInputs(
  count: number,
  seed: number,
): Record<string, { topic: string; values: Array<{ key: string | null; value: string }> }> {
  const raw = rawValues(count, seed);
  const data = clientDataOf(raw);
  const predictions = predictionsOf(data, new Date());
  const keyed = (list: Array<{ sample_id: string }>) =>
    list.map((value) => ({ key: value.sample_id, value: JSON.stringify(value) }));
  return {
    provide: { topic: 'cdn_raw', values: raw.map((value) => ({ key: null, value })) },
    predict: { topic: 'cdn_data', values: keyed(data) },
    'load-data': { topic: 'cdn_client_data_storage', values: keyed(data) },
    'load-predictions': { topic: 'cdn_result', values: keyed(predictions) },
  };
}
