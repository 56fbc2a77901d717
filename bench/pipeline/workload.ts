// The benchmark's input and its arithmetic: generated CDN rows as the CSV reader would hand them
// to the replay (strings in the published columns), and percentiles of latencies.
import type { RawRecord } from '../../contracts/raw-record.ts';
import { defaultStart, generateRows } from '../../simulator/generator/generate.ts';
import { csvHeader, formatRow } from '../../simulator/generator/row.ts';
import { parseStart } from '../../simulator/generator/timeline.ts';

/** `count` generated rows (1 % anomalous) as raw records; the same seed gives the same rows. */
export function generatedRecords(count: number, seed: number): RawRecord[] {
  const columns = csvHeader.split(',');
  const records: RawRecord[] = [];
  for (const { row } of generateRows({
    rows: count,
    seed,
    anomalyFraction: 0.01,
    startMs: parseStart(defaultStart),
  })) {
    const fields = formatRow(row).split(',');
    records.push(Object.fromEntries(columns.map((column, i) => [column, fields[i]!])));
  }
  return records;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when there are none. Pure. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
