import type { ClientData } from '../../contracts/client-data.ts';
import type { Prediction } from '../../contracts/prediction.ts';
import { CdnfaasError } from '../../lib/errors.ts';

/** What the model says about one record: its cluster and whether it is too far from it. */
export interface ModelVerdict {
  cluster: number;
  anomaly: boolean;
}

export const normalTag = 'normal';
export const anomalyTag = 'anomaly';

/**
 * Pairs records with the model's verdicts. The whole batch carries one prediction_timestamp
 * (the batch is scored in one inference call) and the model's `name@version` as pipeline_type.
 */
export function toPredictions(
  records: readonly ClientData[],
  verdicts: readonly ModelVerdict[],
  made: { at: Date; pipelineType: string },
): Prediction[] {
  if (verdicts.length !== records.length) {
    throw new CdnfaasError(
      'INTERNAL',
      `the model answered ${verdicts.length} verdicts for ${records.length} records`,
    );
  }
  const predictionTimestamp = made.at.toISOString();
  return records.map((record, index) => {
    const verdict = verdicts[index]!;
    if (!Number.isInteger(verdict.cluster) || verdict.cluster < 0) {
      throw new CdnfaasError(
        'INTERNAL',
        `the model answered cluster ${verdict.cluster} for ${record.sample_id}`,
      );
    }
    return {
      sample_id: record.sample_id,
      prediction_timestamp: predictionTimestamp,
      prediction: verdict.cluster,
      tag: verdict.anomaly ? anomalyTag : normalTag,
      pipeline_type: made.pipelineType,
    };
  });
}
