import { featureColumns, type FeatureColumn } from '../contracts/client-data.ts';
import {
  normalizeCode,
  type ColumnEncoding,
  type PartialFeatureRecord,
  type Preprocessing,
} from './features.ts';

export interface VocabularyOptions {
  /** At most this many codes per column get their own slot. */
  maxCodesPerColumn: number;
  /** A code needs at least this share of the rows to get a slot; rarer codes share "other". */
  minShare: number;
}

/**
 * 32 slots cover the published data's channels, content types, protocols and customers whole
 * and the busiest hosts and locations; a code under 0.1% of the rows is "other", so one odd
 * host does not get a dimension of its own and unseen codes look like rare ones.
 */
export const defaultVocabularyOptions: VocabularyOptions = { maxCodesPerColumn: 32, minShare: 0.001 };

/** Codes of one column by frequency, most frequent first (ties: smaller code first). */
export function codeCounts(
  records: readonly PartialFeatureRecord[],
  column: FeatureColumn,
): [number, number][] {
  const counts = new Map<number, number>();
  for (const record of records) {
    const code = normalizeCode(record[column]);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/** The vocabulary of one column: its frequent codes, capped. */
export function columnVocabulary(
  records: readonly PartialFeatureRecord[],
  column: FeatureColumn,
  options: VocabularyOptions,
): number[] {
  const minCount = Math.max(1, Math.ceil(options.minShare * records.length));
  return codeCounts(records, column)
    .filter(([, count]) => count >= minCount)
    .slice(0, options.maxCodesPerColumn)
    .map(([code]) => code);
}

/** The preprocessing object for a training set (see features.ts for the encoding). */
export function buildPreprocessing(
  records: readonly PartialFeatureRecord[],
  options: VocabularyOptions = defaultVocabularyOptions,
): Preprocessing {
  let offset = 0;
  const columns: ColumnEncoding[] = featureColumns.map((name) => {
    const vocabulary = columnVocabulary(records, name, options);
    const column = { name, vocabulary, offset, width: vocabulary.length + 1 };
    offset += column.width;
    return column;
  });
  return {
    format: 'cdnfaas.preprocessing/v1',
    encoding: 'one-hot-top-k',
    missingCode: -1,
    columns,
    dimension: offset,
  };
}
