import type { z } from 'zod';
import type { RecordResult } from '../../contracts/batch.ts';
import { isCdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Stage, StageRecord } from '../../template/node20-ts/stage.ts';
import type { LineWriter } from './influx-writer.ts';

export interface SinkStageOptions<T> {
  input: z.ZodType<T>;
  /** The line-protocol line of one record: pure, so identity rules are tested without I/O. */
  toLine(record: StageRecord<T>): string;
  writer: LineWriter;
  logger?: Logger;
}

/**
 * A stage that stores records and publishes nothing. The whole batch is written before the
 * call answers: success means InfluxDB acknowledged every point, so the connector may commit;
 * any failure throws, the call fails and the batch is delivered again.
 */
export function sinkStage<T>(options: SinkStageOptions<T>): Stage<T> {
  return {
    input: options.input,
    async process(records) {
      const lines = records.map((record) => options.toLine(record));
      try {
        await options.writer.write(lines);
      } catch (error) {
        options.logger?.warn(
          {
            records: records.length,
            code: isCdnfaasError(error) ? error.code : 'UNKNOWN',
            error: (error as Error).message,
          },
          'write failed',
        );
        throw error;
      }
      return records.map((): RecordResult => ({ status: 'ok', outputs: [] }));
    },
  };
}
