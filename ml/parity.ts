import type { ReferenceScore } from './evaluate.ts';
import type { PartialFeatureRecord } from './features.ts';
import { createScorer } from './scorer.ts';

/** Rows per inference call: predict's batches are of this order. */
const batchRows = 4096;

/**
 * The share of records to which the exported graph, run by onnxruntime as predict runs it, gives
 * the cluster and the tag the trainer gives in float64 (`reference[i]` answers `records[i]`).
 */
export async function onnxParity(
  modelDir: string,
  records: readonly PartialFeatureRecord[],
  reference: readonly ReferenceScore[],
): Promise<number> {
  if (records.length === 0) return 1;
  const scorer = await createScorer(modelDir);
  try {
    let same = 0;
    for (let start = 0; start < records.length; start += batchRows) {
      const scores = await scorer.score(records.slice(start, start + batchRows));
      scores.forEach((score, i) => {
        const expected = reference[start + i]!;
        if (score.cluster === expected.cluster && score.anomaly === expected.anomaly) same++;
      });
    }
    return same / records.length;
  } finally {
    await scorer.close();
  }
}
