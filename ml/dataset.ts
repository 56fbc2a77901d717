import { createReadStream, statSync } from 'node:fs';
import { parse, type Options, type Parser } from 'csv-parse';
import { z } from 'zod';
import { featureColumns } from '../contracts/client-data.ts';
import { CdnfaasError } from '../lib/errors.ts';
import { missingCode, type FeatureRecord } from './features.ts';

/**
 * The training CSV as the published files write it: every column a categorical code, user_id
 * and content_id as floats (`13.0`), content_id (and rarely user_id) empty. An empty code is
 * missing and becomes -1, as the original system filled gaps.
 */
const code = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (text === '') return missingCode;
    const value = Number(text);
    if (!/^-?\d+(\.0+)?$/.test(text) || !Number.isSafeInteger(value)) {
      ctx.addIssue({ code: 'custom', message: `expected an integer code such as 13 or 13.0, got "${text}"` });
      return z.NEVER;
    }
    return value;
  });

export const trainingRowSchema = z.object({
  timestamp: z.string().trim().min(1, 'timestamp is empty'),
  channel_id: code,
  host_id: code,
  content_type: code,
  protocol: code,
  content_id: code,
  geo_location: code,
  user_id: code,
});

export type TrainingRecord = FeatureRecord & { timestamp: string };

export const requiredColumns = ['timestamp', ...featureColumns] as const;

/** A CSV parser over a file; a read error (missing file) ends the parser instead of leaving it waiting. */
function readCsv(file: string, options: Options): Parser {
  const parser = parse(options);
  createReadStream(file)
    .on('error', (error) => parser.destroy(error))
    .pipe(parser);
  return parser;
}

function fail(file: string, message: string, hint: string, cause?: unknown): never {
  throw new CdnfaasError('INVALID_INPUT', `${file}: ${message}`, { hint, context: { file }, cause });
}

/** Reads a whole training CSV; the first bad row fails the read, naming its line and column. */
export async function readTrainingCsv(file: string): Promise<TrainingRecord[]> {
  const records: TrainingRecord[] = [];
  const parser = readCsv(file, { columns: true, skip_empty_lines: true, bom: true, trim: true, info: true });
  let checkedHeader = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (!checkedHeader) {
        const missing = requiredColumns.filter((column) => !(column in record));
        if (missing.length > 0) {
          fail(
            file,
            `missing column(s) ${missing.join(', ')}`,
            `the header must name ${requiredColumns.join(',')}`,
          );
        }
        checkedHeader = true;
      }
      const parsed = trainingRowSchema.safeParse(record);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; ');
        fail(
          file,
          `line ${info.lines}: ${issues}`,
          'fix or remove the row; every code must be an integer or empty',
        );
      }
      records.push(parsed.data);
    }
  } catch (error) {
    if (error instanceof CdnfaasError) throw error;
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT')
      fail(file, 'file does not exist', 'give the path of a CSV file, e.g. from `npx cdnfaas generate-data`');
    fail(
      file,
      `not a readable CSV: ${(error as Error).message}`,
      'check the file is CSV with a header line',
      error,
    );
  }
  if (records.length === 0 && !checkedHeader && statSync(file).size === 0)
    fail(file, 'the file is empty', 'training needs a CSV with a header line and data rows');
  if (records.length === 0)
    fail(file, 'no data rows', 'training needs a CSV with a header and at least one row per cluster');
  return records;
}

/** The labels side file of generated data: anomalous row index -> kinds of change (`a+b`). */
export async function readAnomalyLabels(file: string): Promise<Map<number, string>> {
  const anomalous = new Map<number, string>();
  const parser = createReadStream(file).pipe(
    parse({ columns: true, skip_empty_lines: true, bom: true, trim: true }),
  );
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      if (record.row === undefined || record.label === undefined) {
        fail(
          file,
          'labels file needs the columns row and label',
          'use the .labels.csv written by `npx cdnfaas generate-data`',
        );
      }
      if (record.label === 'anomaly') anomalous.set(Number(record.row), record.kinds ?? '');
    }
  } catch (error) {
    if (error instanceof CdnfaasError) throw error;
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT')
      fail(
        file,
        'labels file does not exist',
        'generate the data with `npx cdnfaas generate-data`, which writes it',
      );
    fail(file, `not a readable CSV: ${(error as Error).message}`, 'check the labels file', error);
  }
  return anomalous;
}
