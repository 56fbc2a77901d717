import type { FeatureColumn } from '../contracts/client-data.ts';
import { normalizeCode, type PartialFeatureRecord } from './features.ts';
import type { Rarity } from './rarity.ts';

/**
 * Drift: is live traffic still the traffic the model was trained on? Two signals, each with a
 * state a user can act on (ok, watch, retrain):
 *
 * - The population stability index of every column against the training distribution (the
 *   model's rarity.json): PSI = sum over bins of (live - training) x ln(live / training), with
 *   the usual reading: below 0.1 no real change, below 0.25 a moderate one, above that retrain.
 * - The live anomaly rate against the rate the model tagged on its held-out split: the tag
 *   flags about 1 % of traffic like the training data, so a rate several times that means the
 *   traffic changed (or an incident is under way).
 *
 * Bins: each code with at least `minShare` of the training rows (at most `maxBins`), and one bin
 * for every other code, rare or never seen, so a long tail of locations does not make every
 * live sample look new. Pure.
 */

export type DriftState = 'ok' | 'watch' | 'retrain';

export const psiLimits = { watch: 0.1, retrain: 0.25 } as const;

/** Live anomaly rate over expected: from this ratio on, watch; from the second, retrain. */
export const anomalyRatioLimits = { watch: 2, retrain: 4 } as const;

export interface DriftOptions {
  maxBins: number;
  minShare: number;
  /** Shares below this count as this (a bin empty on one side would make PSI infinite). */
  floor: number;
  /** Fewer live records than this give no state: the figures are shown, marked as too few. */
  minRecords: number;
}

export const defaultDriftOptions: DriftOptions = {
  maxBins: 20,
  minShare: 0.01,
  floor: 1e-4,
  minRecords: 200,
};

const order: DriftState[] = ['ok', 'watch', 'retrain'];

export function psiState(psi: number): DriftState {
  if (psi < psiLimits.watch) return 'ok';
  return psi < psiLimits.retrain ? 'watch' : 'retrain';
}

export function anomalyRateState(live: number, expected: number): DriftState {
  // Against an expected rate of 0 (a model that tagged nothing held out), any 1 % is a change.
  const ratio = live / Math.max(expected, 0.001);
  if (ratio < anomalyRatioLimits.watch) return 'ok';
  return ratio < anomalyRatioLimits.retrain ? 'watch' : 'retrain';
}

/** The worse of two states. */
export function worst(a: DriftState, b: DriftState): DriftState {
  return order[Math.max(order.indexOf(a), order.indexOf(b))]!;
}

/** Population stability index of two distributions over the same bins (shares summing to 1). */
export function psi(
  expected: readonly number[],
  actual: readonly number[],
  floor = defaultDriftOptions.floor,
): number {
  let sum = 0;
  expected.forEach((share, i) => {
    const e = Math.max(share, floor);
    const a = Math.max(actual[i] ?? 0, floor);
    sum += (a - e) * Math.log(a / e);
  });
  return sum;
}

export interface ColumnBins {
  column: FeatureColumn;
  /** Codes with a bin of their own; the last bin is every other code. */
  codes: number[];
  /** Training shares per bin, the "other" bin last. */
  expected: number[];
}

/** A column's bins and training shares, from the model's training counts. */
export function trainingBins(rarity: Rarity, options: DriftOptions = defaultDriftOptions): ColumnBins[] {
  return rarity.columns.map((column) => {
    const kept: number[] = [];
    const shares: number[] = [];
    let covered = 0;
    column.codes.forEach((code, i) => {
      const share = column.counts[i]! / rarity.total;
      if (share >= options.minShare && kept.length < options.maxBins) {
        kept.push(code);
        shares.push(share);
        covered += share;
      }
    });
    return { column: column.name, codes: kept, expected: [...shares, Math.max(0, 1 - covered)] };
  });
}

/** Live shares over a column's bins. */
export function liveShares(bins: ColumnBins, records: readonly PartialFeatureRecord[]): number[] {
  const index = new Map(bins.codes.map((code, i) => [code, i]));
  const counts = new Array<number>(bins.codes.length + 1).fill(0);
  for (const record of records) counts[index.get(normalizeCode(record[bins.column])) ?? bins.codes.length]!++;
  return counts.map((count) => (records.length === 0 ? 0 : count / records.length));
}

export interface DriftReport {
  /** `name@version` of the model the live traffic is compared with. */
  model: string;
  /** Live records the distributions come from. */
  records: number;
  /** Live predictions of this model the anomaly rate comes from. */
  predictions: number;
  anomalyRate: { live: number; expected: number; state: DriftState | 'too few records' };
  columns: { column: FeatureColumn; psi: number; state: DriftState | 'too few records' }[];
  /** The worst of all: what to do. */
  state: DriftState | 'too few records';
}

export function driftReport(
  model: { name: string; rarity: Rarity; expectedAnomalyRate: number },
  live: { records: readonly PartialFeatureRecord[]; anomalies: readonly boolean[] },
  options: DriftOptions = defaultDriftOptions,
): DriftReport {
  const enoughRecords = live.records.length >= options.minRecords;
  const enoughPredictions = live.anomalies.length >= options.minRecords;
  const columns = trainingBins(model.rarity, options).map((bins) => {
    const value = psi(bins.expected, liveShares(bins, live.records), options.floor);
    return {
      column: bins.column,
      psi: value,
      state: enoughRecords ? psiState(value) : ('too few records' as const),
    };
  });
  const rate =
    live.anomalies.length === 0 ? 0 : live.anomalies.filter(Boolean).length / live.anomalies.length;
  const rateState = enoughPredictions
    ? anomalyRateState(rate, model.expectedAnomalyRate)
    : ('too few records' as const);
  const states = [rateState, ...columns.map((column) => column.state)].filter(
    (state): state is DriftState => state !== 'too few records',
  );
  return {
    model: model.name,
    records: live.records.length,
    predictions: live.anomalies.length,
    anomalyRate: { live: rate, expected: model.expectedAnomalyRate, state: rateState },
    columns,
    state: !enoughRecords && !enoughPredictions ? 'too few records' : states.reduce(worst, 'ok'),
  };
}
