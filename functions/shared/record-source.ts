import type { StageRecord } from '../../template/node20-ts/stage.ts';

/** The Kafka coordinates of a record: unique per record, and the same when it is re-delivered. */
export interface RecordSource {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * A stage record's coordinates, or undefined for an ad-hoc call (`faas-cli invoke`), which the
 * stage handler passes with an empty topic because it was never read from Kafka.
 */
export function sourceOf(record: StageRecord<unknown>): RecordSource | undefined {
  return record.topic === ''
    ? undefined
    : { topic: record.topic, partition: record.partition, offset: record.offset };
}
