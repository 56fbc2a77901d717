import { featurize, type PartialFeatureRecord, type Preprocessing } from './features.ts';
import { rarityScore, surprisalTable, type Rarity } from './rarity.ts';

/**
 * Scores records the way predict does (featurize, nearest centroid, rarity score > its
 * threshold), in float64; and measures the anomaly tag against known labels.
 */
export interface TrainedModel {
  preprocessing: Preprocessing;
  /** k x dimension, row-major. */
  centroids: Float64Array;
  k: number;
  threshold: number;
  rarity: Rarity;
  rarityThreshold: number;
}

export interface ReferenceScore {
  cluster: number;
  distance: number;
  rarity: number;
  anomaly: boolean;
}

export function scoreRecords(
  records: readonly PartialFeatureRecord[],
  model: TrainedModel,
): ReferenceScore[] {
  const { dimension } = model.preprocessing;
  const table = surprisalTable(model.rarity);
  return records.map((record) => {
    const row = featurize(record, model.preprocessing);
    let cluster = 0;
    let best = Infinity;
    for (let c = 0; c < model.k; c++) {
      let sum = 0;
      for (let d = 0; d < dimension; d++) {
        const diff = row[d]! - model.centroids[c * dimension + d]!;
        sum += diff * diff;
      }
      if (sum < best) {
        best = sum;
        cluster = c;
      }
    }
    const distance = Math.sqrt(best);
    const rarity = rarityScore(record, model.rarity, table);
    return { cluster, distance, rarity, anomaly: rarity > model.rarityThreshold };
  });
}

export interface AnomalyEvaluation {
  rows: number;
  labelledAnomalies: number;
  flagged: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Recall per kind of injected change (a row with several kinds counts for each). */
  recallByKind: Record<string, { anomalies: number; found: number; recall: number }>;
  /** Recall by how many codes of the row were changed. */
  recallByChanges: Record<string, { anomalies: number; found: number; recall: number }>;
}

/** Precision and recall of `flags` (row i tagged anomalous) against `labels` (row index -> kinds). */
export function evaluateAnomalyTags(
  flags: readonly boolean[],
  labels: ReadonlyMap<number, string>,
): AnomalyEvaluation {
  let truePositives = 0;
  let falsePositives = 0;
  const byKind: Record<string, { anomalies: number; found: number; recall: number }> = {};
  const byChanges: Record<string, { anomalies: number; found: number; recall: number }> = {};
  flags.forEach((flagged, row) => {
    const kinds = labels.get(row);
    if (kinds !== undefined) {
      const changes = (byChanges[String(kinds === '' ? 0 : kinds.split('+').length)] ??= {
        anomalies: 0,
        found: 0,
        recall: 0,
      });
      changes.anomalies++;
      if (flagged) changes.found++;
      for (const kind of kinds === '' ? ['unspecified'] : kinds.split('+')) {
        const entry = (byKind[kind] ??= { anomalies: 0, found: 0, recall: 0 });
        entry.anomalies++;
        if (flagged) entry.found++;
      }
    }
    if (flagged && kinds !== undefined) truePositives++;
    else if (flagged) falsePositives++;
  });
  for (const entry of [...Object.values(byKind), ...Object.values(byChanges)]) {
    entry.recall = entry.anomalies === 0 ? 0 : entry.found / entry.anomalies;
  }
  const labelledAnomalies = [...labels.keys()].filter((row) => row < flags.length).length;
  const flagged = truePositives + falsePositives;
  const precision = flagged === 0 ? 0 : truePositives / flagged;
  const recall = labelledAnomalies === 0 ? 0 : truePositives / labelledAnomalies;
  return {
    rows: flags.length,
    labelledAnomalies,
    flagged,
    truePositives,
    falsePositives,
    falseNegatives: labelledAnomalies - truePositives,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    recallByKind: byKind,
    recallByChanges: byChanges,
  };
}
