import { clientDataSchema, featureColumns, type ClientData } from '../../contracts/client-data.ts';
import { rawColumns, type RawRecord } from '../../contracts/raw-record.ts';
import { missingCode, parseCode, type RawValue } from './parse-code.ts';
import { parseTimestamp } from './parse-timestamp.ts';
import { accept, quote, refuse, type Parsed } from './parsed.ts';
import type { RecordSource } from '../shared/record-source.ts';
import { sampleIdOf } from './sample-id.ts';

/**
 * Columns that may be absent or empty, with the code they then take. These are the two columns
 * with gaps in the CDN files (which is why they are written as floats, `13.0`); the original
 * system filled the gaps with -1. Every other column is required.
 */
const optionalColumns: Partial<Record<string, number>> = { content_id: missingCode, user_id: missingCode };

/** Every ClientData column but sample_id and timestamp is a categorical code. */
const codeColumns = featureColumns;

const knownColumns = new Set<string>(rawColumns);

/** Column names as sources spell them: surrounding blanks and a byte-order mark are not part of the name. */
function normaliseName(name: string): string {
  return name.replace(/^\uFEFF/, '').trim();
}

/** The record's values by normalised column name, or every structural problem in one reason. */
function columnsOf(raw: RawRecord): Parsed<Map<string, RawValue>> {
  const values = new Map<string, RawValue>();
  const duplicated: string[] = [];
  const unexpected: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const column = normaliseName(name);
    if (values.has(column)) duplicated.push(column);
    else if (!knownColumns.has(column)) unexpected.push(column);
    values.set(column, value);
  }
  const missing = rawColumns.filter((column) => !values.has(column) && optionalColumns[column] === undefined);
  const problems = [
    missing.length > 0 ? `missing column(s): ${missing.join(', ')}` : '',
    unexpected.length > 0 ? `unexpected column(s): ${unexpected.map((c) => quote(c, 30)).join(', ')}` : '',
    duplicated.length > 0 ? `duplicated column(s): ${duplicated.join(', ')}` : '',
  ].filter(Boolean);
  return problems.length > 0 ? refuse(problems.join('; ')) : accept(values);
}

/**
 * Turns a raw record from `cdn_raw` into ClientData, or refuses it with a reason that names
 * every problem found (missing, unexpected or duplicated columns; unparseable values).
 */
export function toClientData(raw: RawRecord, source?: RecordSource): Parsed<ClientData> {
  const columns = columnsOf(raw);
  if (!columns.ok) return columns;
  const problems: string[] = [];
  const timestamp = parseTimestamp('timestamp', columns.value.get('timestamp'));
  if (!timestamp.ok) problems.push(timestamp.reason);
  const codes: Partial<Record<(typeof codeColumns)[number], number>> = {};
  for (const column of codeColumns) {
    const code = parseCode(column, columns.value.get(column), { whenEmpty: optionalColumns[column] });
    if (code.ok) codes[column] = code.value;
    else problems.push(code.reason);
  }
  if (!timestamp.ok || problems.length > 0) return refuse(problems.join('; '));
  const values = { timestamp: timestamp.value, ...(codes as Record<(typeof codeColumns)[number], number>) };
  const record: ClientData = {
    sample_id: sampleIdOf(values, source),
    channel_id: values.channel_id,
    timestamp: values.timestamp,
    host_id: values.host_id,
    content_type: values.content_type,
    protocol: values.protocol,
    content_id: values.content_id,
    geo_location: values.geo_location,
    user_id: values.user_id,
  };
  // The contract is the last word: anything it refuses here is a bug in the parsers above.
  const checked = clientDataSchema.safeParse(record);
  return checked.success ? accept(checked.data) : refuse(`internal: ${checked.error.message}`);
}
