import type { RecordResult } from '../../contracts/batch.ts';
import { rawRecordSchema, type RawRecord } from '../../contracts/raw-record.ts';
import type { Stage, StageRecord } from '../../template/node20-ts/stage.ts';
import { acceptJsonText } from '../shared/json-text.ts';
import { sourceOf } from '../shared/record-source.ts';
import { toClientData } from './to-client-data.ts';

/** One raw record in, one ClientData out (keyed by its sample_id), or the reason it was refused. */
export function provideRecord(record: StageRecord<RawRecord>): RecordResult {
  const parsed = toClientData(record.value, sourceOf(record));
  return parsed.ok
    ? { status: 'ok', outputs: [{ key: parsed.value.sample_id, value: parsed.value }] }
    : { status: 'rejected', reason: parsed.reason };
}

export const provideStage: Stage<RawRecord> = {
  input: acceptJsonText(rawRecordSchema),
  process: async (records) => records.map(provideRecord),
};
