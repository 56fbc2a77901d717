import { z } from 'zod';
import { featureColumns, type ClientData, type FeatureColumn } from '../contracts/client-data.ts';
import { oncePerObject } from '../lib/once-per-object.ts';

/**
 * The preprocessing object: how a record's categorical codes become the model's input row.
 *
 * Every column is a code, not a magnitude (geo_location 1287 is not "more" than 1051), so each
 * column is one-hot encoded over its vocabulary (the most frequent codes seen in training) plus
 * one "other" slot for every code outside it. The Euclidean distance between two rows is then
 * sqrt(2 x the number of columns that differ): each column weighs the same, whatever the range
 * of its codes. A missing code is -1, as the original system filled gaps; -1 is an ordinary
 * code here (content_id is -1 in almost every row), so it lands in the vocabulary or in "other".
 *
 * Used by the trainer and by the predict function alike, so both featurize identically.
 */

/** The code a missing value takes before encoding. */
export const missingCode = -1;

export const columnEncodingSchema = z
  .object({
    name: z.enum(featureColumns),
    /** Codes with their own slot, most frequent first; slot `vocabulary.length` is "other". */
    vocabulary: z.array(z.number().int()),
    /** Index of this column's first slot in the feature row. */
    offset: z.number().int().min(0),
    /** vocabulary.length + 1 (the "other" slot). */
    width: z.number().int().min(1),
  })
  .strict();

export const preprocessingSchema = z
  .object({
    format: z.literal('cdnfaas.preprocessing/v1'),
    encoding: z.literal('one-hot-top-k'),
    missingCode: z.literal(missingCode),
    columns: z.array(columnEncodingSchema).min(1),
    /** Length of a feature row: the sum of the columns' widths. */
    dimension: z.number().int().min(1),
  })
  .strict()
  .superRefine((value, ctx) => {
    let offset = 0;
    for (const [index, column] of value.columns.entries()) {
      if (column.offset !== offset || column.width !== column.vocabulary.length + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', index],
          message: 'offset/width do not follow the vocabulary layout',
        });
      }
      offset += column.width;
    }
    if (offset !== value.dimension) {
      ctx.addIssue({
        code: 'custom',
        path: ['dimension'],
        message: `expected ${offset}, the sum of the column widths`,
      });
    }
  });

export type ColumnEncoding = z.infer<typeof columnEncodingSchema>;
export type Preprocessing = z.infer<typeof preprocessingSchema>;

/** What featurize reads from a record: the categorical columns of ClientData. */
export type FeatureRecord = Pick<ClientData, FeatureColumn>;

/** A record whose codes may be missing (null, undefined or NaN -> -1). */
export type PartialFeatureRecord = { [column in FeatureColumn]?: number | null | undefined };

/**
 * A column's slots in a row laid out by offsets: one per known code from `offset` on, then one
 * for every other code. The one-hot row and the rarity table are both laid out this way.
 */
export interface ColumnSlots {
  name: FeatureColumn;
  slotOf: Map<number, number>;
  other: number;
}

export function columnSlots(name: FeatureColumn, codes: readonly number[], offset: number): ColumnSlots {
  return {
    name,
    slotOf: new Map(codes.map((code, i) => [code, offset + i])),
    other: offset + codes.length,
  };
}

/** The slot of the record's code in this column. */
export function recordSlot(column: ColumnSlots, record: PartialFeatureRecord): number {
  return column.slotOf.get(normalizeCode(record[column.name])) ?? column.other;
}

/** Lookup tables for a preprocessing object, built once per object. */
const compile = oncePerObject((preprocessing: Preprocessing) =>
  preprocessing.columns.map((column) => columnSlots(column.name, column.vocabulary, column.offset)),
);

/** A code as the model sees it: missing or non-finite values become -1. */
export function normalizeCode(value: number | null | undefined): number {
  return value === null || value === undefined || !Number.isFinite(value) ? missingCode : value;
}

/** The slot index (within its column) a code falls into. */
export function slotOf(column: ColumnEncoding, code: number | null | undefined): number {
  const index = column.vocabulary.indexOf(normalizeCode(code));
  return index === -1 ? column.vocabulary.length : index;
}

/**
 * Writes the one-hot row of `record` into `out` at `rowOffset` (which must hold zeros there).
 * Batch callers use this to fill one tensor without an allocation per row.
 */
export function featurizeInto(
  record: PartialFeatureRecord,
  preprocessing: Preprocessing,
  out: Float32Array,
  rowOffset = 0,
): void {
  for (const column of compile(preprocessing)) out[rowOffset + recordSlot(column, record)] = 1;
}

/** The feature row of one record. */
export function featurize(record: PartialFeatureRecord, preprocessing: Preprocessing): Float32Array {
  const row = new Float32Array(preprocessing.dimension);
  featurizeInto(record, preprocessing, row);
  return row;
}

/** The feature rows of many records, row-major in one buffer ([records.length, dimension]). */
export function featurizeBatch(
  records: readonly PartialFeatureRecord[],
  preprocessing: Preprocessing,
): Float32Array {
  const out = new Float32Array(records.length * preprocessing.dimension);
  records.forEach((record, index) =>
    featurizeInto(record, preprocessing, out, index * preprocessing.dimension),
  );
  return out;
}
