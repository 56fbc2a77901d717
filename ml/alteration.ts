import { featureColumns, type FeatureColumn } from '../contracts/client-data.ts';
import { createRng, type Rng } from '../lib/prng.ts';
import { normalizeCode, type PartialFeatureRecord } from './features.ts';
import { codeCounts } from './vocabulary.ts';

/**
 * The anomaly benchmark of issue 13: ordinary held-out rows, plus copies of other held-out rows in
 * which some of the 7 codes are replaced by values the training file has at most twice or never.
 * A model that tags the copies and leaves the ordinary rows alone catches rare combinations.
 * Pure and seeded: the same inputs give the same sample on every machine.
 */

export interface AlterationOptions {
  /** Ordinary rows taken as they are (labelled normal). */
  normalRows: number;
  /** Other rows copied with `codesAltered` codes replaced (labelled anomalous). */
  alteredRows: number;
  /** How many of the 7 codes each altered copy has replaced. */
  codesAltered: number;
  seed: number;
  /** A replacement is a code the training file has at most this many times, or never. */
  maxTrainingCount: number;
}

export const defaultAlteration: Omit<AlterationOptions, 'codesAltered'> = {
  normalRows: 1000,
  alteredRows: 1000,
  seed: 7,
  maxTrainingCount: 2,
};

/** Per column: codes the training file has at most maxTrainingCount times, and every code it has. */
export interface ReplacementPools {
  rare: Map<FeatureColumn, number[]>;
  seen: Map<FeatureColumn, Set<number>>;
}

export function replacementPools(
  training: readonly PartialFeatureRecord[],
  maxTrainingCount: number,
): ReplacementPools {
  const rare = new Map<FeatureColumn, number[]>();
  const seen = new Map<FeatureColumn, Set<number>>();
  for (const column of featureColumns) {
    const counts = codeCounts(training, column);
    rare.set(
      column,
      counts.filter(([, count]) => count <= maxTrainingCount).map(([code]) => code),
    );
    seen.set(column, new Set(counts.map(([code]) => code)));
  }
  return { rare, seen };
}

export interface AlteredSample {
  records: PartialFeatureRecord[];
  /** anomalous[i] is true for the altered copies. */
  anomalous: boolean[];
  /** The columns replaced in each altered copy (empty for ordinary rows). */
  altered: FeatureColumn[][];
}

/**
 * A code the training file never has, drawn from its column's range (stretched by a tenth above),
 * so a never-seen code does not stand out by magnitude alone: the raw-code baseline would catch
 * a code far above every real one for the wrong reason.
 */
function unseenCode(seen: Set<number>, rng: Rng): number {
  let lowest = 0;
  let largest = 0;
  for (const code of seen) {
    if (code < lowest) lowest = code;
    if (code > largest) largest = code;
  }
  const highest = largest + Math.max(1, Math.round((largest - lowest) / 10));
  for (let attempt = 0; attempt < 100; attempt++) {
    const code = lowest + rng.int(highest - lowest + 1);
    if (!seen.has(code)) return code;
  }
  return highest + 1 + rng.int(10);
}

/** Half the replacements are rare training codes (when the column has any), half never-seen ones. */
function replacement(column: FeatureColumn, current: number, pools: ReplacementPools, rng: Rng): number {
  const rare = pools.rare.get(column)!.filter((code) => code !== current);
  if (rare.length > 0 && rng.chance(0.5)) return rare[rng.int(rare.length)]!;
  return unseenCode(pools.seen.get(column)!, rng);
}

/** Row indices in a seeded random order. */
function shuffled(count: number, rng: Rng): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * The sample: `normalRows` rows of `test` as they are, then `alteredRows` other rows of it with
 * `codesAltered` codes replaced. With fewer test rows than both together, each side gets half.
 */
export function alterSample(
  test: readonly PartialFeatureRecord[],
  pools: ReplacementPools,
  options: AlterationOptions,
): AlteredSample {
  const rng = createRng(`${options.seed}:alter:${options.codesAltered}`);
  const order = shuffled(test.length, rng);
  const wanted = options.normalRows + options.alteredRows;
  const normalRows = wanted <= test.length ? options.normalRows : Math.floor(test.length / 2);
  const alteredRows = wanted <= test.length ? options.alteredRows : test.length - normalRows;
  const records: PartialFeatureRecord[] = [];
  const anomalous: boolean[] = [];
  const altered: FeatureColumn[][] = [];
  for (const index of order.slice(0, normalRows)) {
    records.push(test[index]!);
    anomalous.push(false);
    altered.push([]);
  }
  for (const index of order.slice(normalRows, normalRows + alteredRows)) {
    const copy: PartialFeatureRecord = { ...test[index]! };
    const columns = shuffled(featureColumns.length, rng)
      .slice(0, options.codesAltered)
      .map((c) => featureColumns[c]!);
    for (const column of columns) copy[column] = replacement(column, normalizeCode(copy[column]), pools, rng);
    records.push(copy);
    anomalous.push(true);
    altered.push(columns);
  }
  return { records, anomalous, altered };
}

export interface TagQuality {
  rows: number;
  anomalies: number;
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
}

/** Precision and recall of anomaly flags against the sample's labels. Pure. */
export function tagQuality(flags: readonly boolean[], anomalous: readonly boolean[]): TagQuality {
  let flagged = 0;
  let truePositives = 0;
  let anomalies = 0;
  flags.forEach((flag, i) => {
    if (anomalous[i]) anomalies++;
    if (flag) {
      flagged++;
      if (anomalous[i]) truePositives++;
    }
  });
  return {
    rows: flags.length,
    anomalies,
    flagged,
    truePositives,
    precision: flagged === 0 ? 0 : truePositives / flagged,
    recall: anomalies === 0 ? 0 : truePositives / anomalies,
  };
}
