import { z } from 'zod';

/** The model's verdict on one ClientData record, as `predict` publishes it on `cdn_result`. */
export const predictionSchema = z
  .object({
    sample_id: z.string().min(1).describe('the sample_id of the ClientData record'),
    prediction_timestamp: z.iso.datetime({ offset: true }).describe('when the prediction was made, ISO 8601'),
    prediction: z.number().int().min(0).describe('the cluster the record belongs to'),
    tag: z.string().min(1).describe('normal or anomaly'),
    pipeline_type: z.string().min(1).describe('model name and version, e.g. kmeans@2088.05.1'),
  })
  .strict()
  .describe('Prediction');

export type Prediction = z.infer<typeof predictionSchema>;
