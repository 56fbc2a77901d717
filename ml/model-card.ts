import { renderComparison } from './compare-approaches.ts';
import type { Metrics } from './metrics.ts';
import type { ModelMetadata } from './model-bundle.ts';

/** MODEL_CARD.md: what the model is, what it was trained on, how well, and its limits. */
export function renderModelCard(metadata: ModelMetadata, metrics: Metrics): string {
  const { model, baseline } = metrics.approaches;
  const evaluation = metrics.anomalyEvaluation;
  return `# ${metadata.name}@${metadata.version}

Clusters CDN client-error records (ClientData) and tags the ones whose codes are rare together as anomalies.

- **Input**: the categorical codes channel_id, host_id, content_type, protocol, content_id, geo_location, user_id
  (missing = -1), one-hot encoded over each column's frequent codes plus an "other" slot (${metadata.featureDimension} features).
- **Model**: k-means, k = ${metadata.k}, chosen from ${metrics.selection.kRange[0]}..${metrics.selection.kRange[1]} by ${metrics.selection.rule}.
- **Output**: \`prediction\` = nearest cluster; \`tag\` = \`anomaly\` when the rarity score (the sum over the 7 codes of
  -ln p(code) in the training split, add-one smoothed; computed in the ONNX graph) exceeds ${metadata.rarityThreshold.toFixed(4)}
  (p${metadata.thresholdPercentile} of the held-out split's scores), else \`normal\`. Expected anomaly rate on traffic like the
  training data: ${(metadata.expectedAnomalyRate * 100).toFixed(2)} %.
- **Trained on**: ${metrics.data.file}, ${metrics.data.trainRows} rows (${metrics.data.heldOutRows} more held out for scoring), ${metadata.trainedAt}.

## Scores (held-out split)

| approach | k | silhouette | Davies-Bouldin |
| --- | --- | --- | --- |
| one-hot codes (this model) | ${model.chosenK} | ${model.chosen.silhouette.toFixed(3)} | ${model.chosen.daviesBouldin.toFixed(3)} |
| raw integer codes (original system) | ${baseline.chosenK} | ${baseline.chosen.silhouette.toFixed(3)} | ${baseline.chosen.daviesBouldin.toFixed(3)} |

Each approach is scored in its own feature space. Raw codes give large numeric distances to unrelated codes
(geo_location 1287 vs 1051), so their clusters split on code magnitudes; measured in the categorical space, the
original approach's clusters score ${baseline.silhouetteInOtherSpace.toFixed(3)} against this model's ${model.chosen.silhouette.toFixed(3)}.
${
  metrics.comparison === null
    ? ''
    : `\n## Anomaly approaches (held-out benchmark)\n\n${renderComparison(metrics.comparison, metrics.onnxParity ?? undefined)}\n`
}${
    evaluation === null
      ? ''
      : `\n## Anomaly tag\n\nOn ${evaluation.data} (labelled): precision ${evaluation.precision.toFixed(3)}, recall ${evaluation.recall.toFixed(3)} (${evaluation.labelledAnomalies} anomalies in ${evaluation.rows} rows).\n`
  }
## Limits

- Clusters: codes outside the training vocabulary all fall into "other": a new host is as unusual as any rare host.
- The rarity score looks at each code alone: a combination of common codes that never occurs together is not rare to it
  (the distance to the cluster, reported beside it, is). One rare code is as common as a rare location in ordinary traffic,
  so a single altered code is caught only when it is rarer than those.
- The threshold flags about ${(100 - metadata.thresholdPercentile).toFixed(1)}% of traffic like the training data; retrain when traffic changes.
- Cluster numbers are not stable across trainings: compare predictions only within one \`pipeline_type\`.
`;
}
