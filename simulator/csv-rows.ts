import { createReadStream, existsSync } from 'node:fs';
import { parse } from 'csv-parse';
import { CdnfaasError } from '../lib/errors.ts';
import type { RawRecord } from '../contracts/raw-record.ts';

/**
 * Turns one CSV line (as an array of fields) into a raw record keyed by the header. Fields past
 * the header are kept under `column_<n>` so that `provide` can reject the row for its extra
 * columns instead of the row silently losing them.
 */
export function rowToRecord(header: readonly string[], fields: readonly string[]): RawRecord {
  const record: RawRecord = {};
  fields.forEach((field, index) => {
    record[header[index] ?? `column_${index + 1}`] = field;
  });
  return record;
}

/** Reads a whole CSV file with a header line into raw records (strings, any column order). */
export async function readCsvRecords(file: string): Promise<RawRecord[]> {
  if (!existsSync(file)) {
    throw new CdnfaasError('INVALID_INPUT', `CSV file ${file} does not exist`, {
      hint: 'give the path of a CSV file, e.g. one written by `npx cdnfaas generate-data`',
    });
  }
  const records: RawRecord[] = [];
  let header: string[] | undefined;
  const input = createReadStream(file);
  const parser = input.pipe(
    parse({ relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true }),
  );
  // A read error (a folder, no permission) must end the iteration, not leave it waiting.
  input.once('error', (error) => parser.destroy(error));
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (header === undefined) header = fields.map((name) => name.trim());
      else records.push(rowToRecord(header, fields));
    }
  } catch (error) {
    throw new CdnfaasError('INVALID_INPUT', `cannot read CSV ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (header === undefined) {
    throw new CdnfaasError('INVALID_INPUT', `CSV file ${file} is empty: it needs a header line`, {
      hint: 'the header is timestamp,channel_id,host_id,content_type,protocol,content_id,geo_location,user_id',
    });
  }
  return records;
}
