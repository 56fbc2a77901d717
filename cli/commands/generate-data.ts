import { InvalidArgumentError, type Command } from 'commander';
import { createProgress } from '../../lib/progress.ts';
import { defaultStart } from '../../simulator/generator/generate.ts';
import { parseStart } from '../../simulator/generator/timeline.ts';
import { writeDataset } from '../../simulator/generator/write.ts';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return number;
}

function seedValue(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0 || number > 0xffffffff) {
    throw new InvalidArgumentError(`expected an integer from 0 to 4294967295, got "${value}"`);
  }
  return number;
}

function fraction(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 0.5)
    throw new InvalidArgumentError(`expected a fraction from 0 to 0.5, got "${value}"`);
  return number;
}

function startTime(value: string): number {
  const ms = parseStart(value);
  if (Number.isNaN(ms))
    throw new InvalidArgumentError(`expected a date-time like "${defaultStart}" or ISO 8601, got "${value}"`);
  return ms;
}

interface GenerateDataOptions {
  rows: number;
  seed: number;
  out: string;
  anomalyFraction: number;
  start?: number;
}

export function register(program: Command): void {
  program
    .command('generate-data')
    .description(
      'write synthetic CDN client-error records (same header and shape as the published data) plus a labels side file',
    )
    .requiredOption('--rows <n>', 'number of records', positiveInteger)
    .option('--seed <s>', 'seed: the same seed gives the same file', seedValue, 1)
    .requiredOption('--out <file.csv>', 'output CSV; labels go to <file>.labels.csv')
    .option(
      '--anomaly-fraction <f>',
      'share of anomalous records (rare or unseen code combinations)',
      fraction,
      0.01,
    )
    .option('--start <time>', `time of the first minute, UTC (default "${defaultStart}")`, startTime)
    .action(async (options: GenerateDataOptions) => {
      const progress = createProgress(`generate ${options.out}`, options.rows);
      const started = Date.now();
      const result = await writeDataset(
        options.out,
        {
          rows: options.rows,
          seed: options.seed,
          anomalyFraction: options.anomalyFraction,
          startMs: options.start ?? parseStart(defaultStart),
        },
        (written) => progress.update(written),
      );
      progress.stop();
      console.log(
        `wrote ${result.rows} records (${result.anomalies} anomalous) to ${result.csvPath}, labels to ${result.labelsPath}; ` +
          `${result.firstTimestamp} .. ${result.lastTimestamp}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    });
}
