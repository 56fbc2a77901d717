// Reconciliation after a chaos run: what was sent against what every topic, the dead-letter
// topics and InfluxDB hold. Pure: the caller reads everything back, this only counts.
import { rawRecordSchema } from '../contracts/raw-record.ts';
import { toClientData } from '../functions/provide/to-client-data.ts';
import type { ChaosRecord } from './records.ts';

/** A record read back from a topic: its coordinates, value and headers. */
export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** The Kafka timestamp, ms since the epoch. */
  timestamp?: number;
}

export interface ReadBack {
  /** cdn_raw as the replay left it. */
  raw: ReadRecord[];
  rawDlq: ReadRecord[];
  /** sample_ids (record keys) found in each output topic. */
  topics: { cdn_data: string[]; cdn_client_data_storage: string[]; cdn_result: string[] };
  /** Records in the dead-letter topics of the later stages (none belong there). */
  laterDlqs: Record<string, number>;
  /** The sample_id field of every point in each measurement. */
  stored: { cdn_client_data: string[]; predictions: string[] };
}

export interface CheckRow {
  check: string;
  expected: number;
  found: number;
  missing: number;
  duplicated: number;
  unexpected: number;
  ok: boolean;
  /** A few of the ids behind the problems, to look them up. */
  examples?: { missing: string[]; duplicated: string[]; unexpected: string[] };
}

export interface Reconciliation {
  rows: CheckRow[];
  valid: number;
  invalid: number;
  ok: boolean;
}

const maxExamples = 10;

/** Counts found ids against expected ones (a multiset each): missing, extra copies, strangers. */
export function compareIds(check: string, expected: Iterable<string>, found: Iterable<string>): CheckRow {
  const want = new Map<string, number>();
  let expectedCount = 0;
  for (const id of expected) {
    want.set(id, (want.get(id) ?? 0) + 1);
    expectedCount += 1;
  }
  const got = new Map<string, number>();
  let foundCount = 0;
  for (const id of found) {
    got.set(id, (got.get(id) ?? 0) + 1);
    foundCount += 1;
  }
  let missing = 0;
  let duplicated = 0;
  let unexpected = 0;
  const examples = { missing: [] as string[], duplicated: [] as string[], unexpected: [] as string[] };
  const note = (list: string[], id: string) => list.length < maxExamples && list.push(id);
  for (const [id, count] of want) {
    const short = Math.max(0, count - (got.get(id) ?? 0));
    missing += short;
    if (short > 0) note(examples.missing, id);
  }
  for (const [id, count] of got) {
    const wanted = want.get(id);
    if (wanted === undefined) {
      unexpected += count;
      note(examples.unexpected, id);
    } else if (count > wanted) {
      duplicated += count - wanted;
      note(examples.duplicated, id);
    }
  }
  const ok = missing === 0 && duplicated === 0 && unexpected === 0;
  return {
    check,
    expected: expectedCount,
    found: foundCount,
    missing,
    duplicated,
    unexpected,
    ok,
    ...(ok ? {} : { examples }),
  };
}

/**
 * What provide makes of a cdn_raw record: its sample_id, or undefined when the record is
 * refused (not JSON: by the connector; not a record of strings, or a bad row: by provide).
 */
export function expectedSampleId(record: ReadRecord): string | undefined {
  if (record.value === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(record.value);
  } catch {
    return undefined;
  }
  const raw = rawRecordSchema.safeParse(value);
  if (!raw.success) return undefined;
  const parsed = toClientData(raw.data, {
    topic: 'cdn_raw',
    partition: record.partition,
    offset: record.offset,
  });
  return parsed.ok ? parsed.value.sample_id : undefined;
}

const coordinates = (partition: number | string, offset: string): string => `${partition}@${offset}`;

/**
 * `sourceResentRecords`: records the replay had to send again after its producer failed; up to
 * that many may be in cdn_raw twice (two events to the pipeline, each expected downstream).
 */
export function reconcile(
  sent: readonly ChaosRecord[],
  back: ReadBack,
  sourceResentRecords = 0,
): Reconciliation {
  const replayed = compareIds(
    sourceResentRecords > 0
      ? `replay -> cdn_raw (same values; up to ${sourceResentRecords} resent)`
      : 'replay -> cdn_raw (same values)',
    sent.map((record) => record.value),
    back.raw.map((record) => record.value ?? ''),
  );
  const rows: CheckRow[] = [
    {
      ...replayed,
      ok: replayed.missing === 0 && replayed.unexpected === 0 && replayed.duplicated <= sourceResentRecords,
    },
  ];

  const validIds: string[] = [];
  const invalidAt: string[] = [];
  const spoiledByValue = new Map(sent.map((record) => [record.value, record.spoiled]));
  let misclassified = 0;
  for (const record of back.raw) {
    const id = expectedSampleId(record);
    if (id === undefined) invalidAt.push(coordinates(record.partition, record.offset));
    else validIds.push(id);
    const spoiled = spoiledByValue.get(record.value ?? '');
    if (spoiled !== undefined && (spoiled === null) !== (id !== undefined)) misclassified += 1;
  }
  rows.push({
    check: 'spoiled records refused, others accepted',
    expected: back.raw.length,
    found: back.raw.length - misclassified,
    missing: misclassified,
    duplicated: 0,
    unexpected: 0,
    ok: misclassified === 0,
  });
  rows.push(compareIds('valid -> cdn_data', validIds, back.topics.cdn_data));
  rows.push(compareIds('valid -> cdn_client_data_storage', validIds, back.topics.cdn_client_data_storage));
  rows.push(compareIds('valid -> cdn_result', validIds, back.topics.cdn_result));
  rows.push(compareIds('valid -> InfluxDB cdn_client_data', validIds, back.stored.cdn_client_data));
  rows.push(compareIds('valid -> InfluxDB predictions', validIds, back.stored.predictions));
  rows.push(
    compareIds(
      'invalid -> cdn_raw.dlq',
      invalidAt,
      back.rawDlq.map((record) =>
        coordinates(
          record.headers['cdnfaas-source-partition'] ?? '?',
          record.headers['cdnfaas-source-offset'] ?? '?',
        ),
      ),
    ),
  );
  const strays = Object.values(back.laterDlqs).reduce((sum, count) => sum + count, 0);
  rows.push({
    check: `nothing in ${Object.keys(back.laterDlqs).join(', ')}`,
    expected: 0,
    found: strays,
    missing: 0,
    duplicated: 0,
    unexpected: strays,
    ok: strays === 0,
  });
  return { rows, valid: validIds.length, invalid: invalidAt.length, ok: rows.every((row) => row.ok) };
}
