import { z } from 'zod';
import { featureColumns } from '../contracts/client-data.ts';
import { oncePerObject } from '../lib/once-per-object.ts';
import { columnSlots, recordSlot, type PartialFeatureRecord } from './features.ts';
import { codeCounts } from './vocabulary.ts';

/**
 * The rarity score: how surprising a record's codes are, column by column, against the training
 * distribution. score = sum over the 7 columns of -ln p(code), p smoothed with add-alpha so an
 * unseen code gets the smallest probability rather than infinity:
 *
 *   p(code) = (count(code) + alpha) / (total + alpha x (distinct codes + 1))
 *
 * Distance to a k-means centroid cannot see rare codes: the one-hot vocabulary folds every code
 * under 0.1% into one "other" slot, so a row with two never-seen codes lies about as far from its
 * centroid as a row with one. The score adds each rare code's surprise, so two or three of them
 * stand well above the single rare location that 13% of ordinary traffic carries.
 *
 * Every code seen in training keeps its count here (the model card's training distribution, also
 * what drift is measured against). In the ONNX graph each column's code becomes a slot index
 * (column offset + position, the column's last slot for unseen codes) and the score is a Gather
 * from the table of surprisals and a ReduceSum.
 */

export const rarityColumnSchema = z
  .object({
    name: z.enum(featureColumns),
    /** Every code seen in training, most frequent first. */
    codes: z.array(z.number().int()),
    /** Training rows per code, codes[i] seen counts[i] times. */
    counts: z.array(z.number().int().min(1)),
    /** Index of this column's first slot in the surprisal table; slot offset + codes.length is "unseen". */
    offset: z.number().int().min(0),
  })
  .strict()
  .refine((column) => column.codes.length === column.counts.length, {
    message: 'codes and counts differ in length',
  });

export const raritySchema = z
  .object({
    /** Training rows the counts come from. */
    total: z.number().int().min(1),
    /** Add-alpha smoothing of the probabilities. */
    alpha: z.number().positive(),
    columns: z.array(rarityColumnSchema).min(1),
    /** Length of the surprisal table: per column, its codes plus one unseen slot. */
    slots: z.number().int().min(1),
  })
  .strict()
  .superRefine((value, ctx) => {
    let offset = 0;
    for (const [index, column] of value.columns.entries()) {
      if (column.offset !== offset)
        ctx.addIssue({ code: 'custom', path: ['columns', index, 'offset'], message: `expected ${offset}` });
      offset += column.codes.length + 1;
    }
    if (offset !== value.slots)
      ctx.addIssue({
        code: 'custom',
        path: ['slots'],
        message: `expected ${offset}, the sum of the columns' slots`,
      });
  });

export type Rarity = z.infer<typeof raritySchema>;

/** One smoothing unit per code: enough to keep an unseen code finite, small beside real counts. */
export const defaultRarityAlpha = 1;

/** The training distribution of every column, for the rarity score. Pure. */
export function buildRarity(records: readonly PartialFeatureRecord[], alpha = defaultRarityAlpha): Rarity {
  let offset = 0;
  const columns = featureColumns.map((name) => {
    const counted = codeCounts(records, name);
    const column = {
      name,
      codes: counted.map(([code]) => code),
      counts: counted.map(([, count]) => count),
      offset,
    };
    offset += counted.length + 1;
    return column;
  });
  return { total: records.length, alpha, columns, slots: offset };
}

/** -ln p of every slot (column by column: its codes, then unseen), the table the graph gathers from. Pure. */
export function surprisalTable(rarity: Rarity): Float64Array {
  const table = new Float64Array(rarity.slots);
  for (const column of rarity.columns) {
    const denominator = rarity.total + rarity.alpha * (column.codes.length + 1);
    column.counts.forEach((count, i) => {
      table[column.offset + i] = -Math.log((count + rarity.alpha) / denominator);
    });
    table[column.offset + column.codes.length] = -Math.log(rarity.alpha / denominator);
  }
  return table;
}

/** Each column's table slot per code, built once per rarity object. */
const compile = oncePerObject((rarity: Rarity) =>
  rarity.columns.map((column) => columnSlots(column.name, column.codes, column.offset)),
);

/** The table slots of a batch of records, [records.length, columns] row-major, as the graph's int64 input. */
export function raritySlotsBatch(records: readonly PartialFeatureRecord[], rarity: Rarity): BigInt64Array {
  const columns = compile(rarity);
  const out = new BigInt64Array(records.length * columns.length);
  records.forEach((record, r) => {
    columns.forEach((column, c) => {
      out[r * columns.length + c] = BigInt(recordSlot(column, record));
    });
  });
  return out;
}

/** The rarity score of one record in float64 (the trainer's reference for the graph). */
export function rarityScore(
  record: PartialFeatureRecord,
  rarity: Rarity,
  table = surprisalTable(rarity),
): number {
  let score = 0;
  for (const column of compile(rarity)) score += table[recordSlot(column, record)]!;
  return score;
}

/** Rarity scores of many records, sharing one table. Pure. */
export function rarityScores(records: readonly PartialFeatureRecord[], rarity: Rarity): Float64Array {
  const table = surprisalTable(rarity);
  return Float64Array.from(records, (record) => rarityScore(record, rarity, table));
}
