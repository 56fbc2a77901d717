import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../../system/config.ts';
import { kafkaConnection } from '../../system/kafka-connection.ts';
import { createProgress } from '../../lib/progress.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { replay, type ReplayResult } from '../../simulator/replay.ts';

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return number;
}

/** The resend line: 0, or how many records may be in the topic twice, and why. */
export function describeResends(
  result: Pick<ReplayResult, 'resends' | 'resentRecords' | 'resendReasons'>,
): string {
  if (result.resends === 0) return 'resends: 0 (every record sent exactly once)';
  return `resends: ${result.resends} (${result.resentRecords} records sent again after Kafka gave up on them, so up to ${result.resentRecords} may be in the topic twice; ${result.resendReasons.join('; ')})`;
}

export function register(program: Command): void {
  program
    .command('replay')
    .description('publish CSV rows to cdn_raw in timestamp order, keeping their relative timing')
    .argument('<csv>', 'CSV file with the CDN header (e.g. from `cdnfaas generate-data`)')
    .option(
      '--speed <x>',
      'replay speed relative to the recorded timing (default: as fast as possible)',
      positiveNumber,
    )
    .option('--max-rate <n>', 'at most this many records per second', positiveNumber)
    .option('--topic <name>', 'topic to publish to', 'cdn_raw')
    .action(async (csv: string, options: { speed?: number; maxRate?: number; topic: string }) => {
      const config = loadConfig();
      const records = await readCsvRecords(csv);
      const progress = createProgress(`replay ${csv}`, records.length);
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      process.once('SIGTERM', () => abort.abort());
      const result = await replay(records, {
        kafka: kafkaConnection(config),
        topic: options.topic,
        speed: options.speed,
        maxRate: options.maxRate,
        signal: abort.signal,
        onProgress: (sent, total) => progress.update(sent, total),
      });
      progress.stop();
      const rate = Math.round(result.sent / Math.max(result.elapsedMs / 1000, 0.001));
      console.log(
        `replayed ${result.sent} of ${records.length} records to ${options.topic} in ${(result.elapsedMs / 1000).toFixed(1)} s (${rate} records/s)`,
      );
      console.log(describeResends(result));
    });
}
