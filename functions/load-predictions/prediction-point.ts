import type { Prediction } from '../../contracts/prediction.ts';
import type { PointSpec } from '../shared/point.ts';
import { deliveryPointTime } from '../shared/point-time.ts';
import type { RecordSource } from '../shared/record-source.ts';

export const predictionMeasurement = 'predictions';

/**
 * A Prediction as a point of `predictions`: low-cardinality tags (the verdict and the model that
 * made it), the sample_id and cluster as fields, at the prediction time. The sub-millisecond
 * part of the time comes from the record's cdn_result coordinates (see functions/README.md).
 */
export function predictionPoint(prediction: Prediction, source: RecordSource | undefined): PointSpec {
  return {
    measurement: predictionMeasurement,
    tags: { tag: prediction.tag, pipeline_type: prediction.pipeline_type },
    intFields: { prediction: prediction.prediction },
    stringFields: { sample_id: prediction.sample_id },
    timeNs: deliveryPointTime(prediction.prediction_timestamp, prediction.sample_id, source),
  };
}
