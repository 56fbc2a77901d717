import type { Comparison } from './compare-approaches.ts';
import type { AnomalyEvaluation } from './evaluate.ts';
import { renderComparison } from './compare-approaches.ts';
import type { ApproachReport, TrainOptions, TrainResult } from './train.ts';

/** metrics.json: how k was chosen, the model beside the original approach, the anomaly check. */
export interface Metrics {
  format: 'cdnfaas.metrics/v1';
  model: { name: string; version: string };
  data: { file: string } & TrainResult['split'];
  selection: {
    rule: string;
    kRange: [number, number];
    seed: number;
    restarts: number;
    heldOutFraction: number;
  };
  approaches: { model: ApproachReport; baseline: ApproachReport };
  threshold: { percentile: number; distance: number; rarity: number; expectedAnomalyRate: number };
  /** The three anomaly approaches on the altered held-out benchmark (compare-approaches.ts). */
  comparison: Comparison | null;
  /** Share of benchmark rows whose cluster and tag the ONNX graph gives as the trainer does. */
  onnxParity: number | null;
  anomalyEvaluation: (AnomalyEvaluation & { data: string; labels: string }) | null;
  timing: { readSeconds: number; trainSeconds: number; totalSeconds: number };
}

export function buildMetrics(input: {
  name: string;
  version: string;
  dataFile: string;
  result: TrainResult;
  options: TrainOptions;
  anomalyEvaluation: Metrics['anomalyEvaluation'];
  comparison?: Comparison | null;
  onnxParity?: number | null;
  timing: Metrics['timing'];
}): Metrics {
  const { result, options } = input;
  return {
    format: 'cdnfaas.metrics/v1',
    model: { name: input.name, version: input.version },
    data: { file: input.dataFile, ...result.split },
    selection: {
      rule: result.selectionRule,
      kRange: [options.kMin, options.kMax],
      seed: options.seed,
      restarts: options.kmeans.restarts,
      heldOutFraction: options.heldOutFraction,
    },
    approaches: { model: result.model, baseline: result.baseline },
    threshold: {
      percentile: options.thresholdPercentile,
      distance: result.threshold,
      rarity: result.rarityThreshold,
      expectedAnomalyRate: result.expectedAnomalyRate,
    },
    comparison: input.comparison ?? null,
    onnxParity: input.onnxParity ?? null,
    anomalyEvaluation: input.anomalyEvaluation,
    timing: input.timing,
  };
}

const fixed = (value: number, digits = 3) => value.toFixed(digits);

/** The report `cdnfaas train --report` prints. */
export function renderReport(metrics: Metrics): string {
  const { model, baseline } = metrics.approaches;
  const lines = [
    `model ${metrics.model.name}@${metrics.model.version} trained on ${metrics.data.file}`,
    `  rows ${metrics.data.rows} (train ${metrics.data.trainRows}, held out ${metrics.data.heldOutRows}, silhouette sample ${metrics.data.silhouetteRows}); k ${metrics.selection.kRange[0]}..${metrics.selection.kRange[1]}, seed ${metrics.selection.seed}`,
    `  k chosen by ${metrics.selection.rule}`,
    '',
    'approach                      k   silhouette  Davies-Bouldin  silhouette in the other space',
  ];
  for (const [label, approach] of [
    ['one-hot codes (this model)', model],
    ['raw integer codes (original)', baseline],
  ] as const) {
    lines.push(
      `${label.padEnd(29)} ${String(approach.chosenK).padStart(2)}   ${fixed(approach.chosen.silhouette).padStart(10)}  ${fixed(approach.chosen.daviesBouldin).padStart(14)}  ${fixed(approach.silhouetteInOtherSpace).padStart(10)}`,
    );
  }
  lines.push('', 'held-out scores by k (silhouette / Davies-Bouldin):');
  model.byK.forEach((score, i) => {
    const base = baseline.byK[i]!;
    lines.push(
      `  k=${String(score.k).padStart(2)}  one-hot ${fixed(score.silhouette)} / ${fixed(score.daviesBouldin)}   raw ${fixed(base.silhouette)} / ${fixed(base.daviesBouldin)}`,
    );
  });
  lines.push(
    '',
    `anomaly tag: rarity score > ${fixed(metrics.threshold.rarity, 4)} (p${metrics.threshold.percentile} of held-out scores; ${(metrics.threshold.expectedAnomalyRate * 100).toFixed(2)} % of held-out rows tagged)`,
    `distance threshold (reported, not the tag): ${fixed(metrics.threshold.distance, 4)} (p${metrics.threshold.percentile} of training distances)`,
  );
  if (metrics.comparison !== null) {
    lines.push('', renderComparison(metrics.comparison, metrics.onnxParity ?? undefined));
  }
  const evaluation = metrics.anomalyEvaluation;
  if (evaluation !== null) {
    lines.push(
      `anomaly tag on ${evaluation.data}: precision ${fixed(evaluation.precision)}, recall ${fixed(evaluation.recall)}, F1 ${fixed(evaluation.f1)} ` +
        `(${evaluation.truePositives} of ${evaluation.labelledAnomalies} labelled anomalies found, ${evaluation.falsePositives} false alarms in ${evaluation.rows} rows)`,
    );
    for (const [changes, entry] of Object.entries(evaluation.recallByChanges).sort()) {
      lines.push(
        `  recall with ${changes} codes changed ${' '.repeat(6)} ${fixed(entry.recall)} (${entry.found}/${entry.anomalies})`,
      );
    }
    for (const [kind, entry] of Object.entries(evaluation.recallByKind).sort()) {
      lines.push(`  recall ${kind.padEnd(22)} ${fixed(entry.recall)} (${entry.found}/${entry.anomalies})`);
    }
  }
  lines.push(
    '',
    `time: read ${fixed(metrics.timing.readSeconds, 1)} s, train ${fixed(metrics.timing.trainSeconds, 1)} s, total ${fixed(metrics.timing.totalSeconds, 1)} s`,
  );
  return lines.join('\n');
}
