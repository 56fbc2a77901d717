import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { batchResponseSchema, type BatchRecord } from '../../contracts/batch.ts';
import type { ClientData } from '../../contracts/client-data.ts';
import { predictionSchema, type Prediction } from '../../contracts/prediction.ts';
import { readAnomalyLabels } from '../../ml/dataset.ts';
import { modelMetadataSchema } from '../../ml/model-bundle.ts';
import { createScorer } from '../../ml/scorer.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import type { Handler } from '../../template/node20-ts/function.ts';
import { recordingContext } from '../../functions/shared/testing.ts';
import { batchEventOf, kafkaRecords, provided, singleEventOf } from './support/records.ts';
import { startReplica, type Replica } from './support/replica.ts';
import { trainSampleModel, type TrainedModel } from './support/model.ts';

let model: TrainedModel;
let metadata: ReturnType<typeof modelMetadataSchema.parse>;
let records: ClientData[];
let anomalous: Map<number, string>;
let handler: Handler;

beforeAll(async () => {
  model = await trainSampleModel(6000, 23);
  metadata = modelMetadataSchema.parse(JSON.parse(readFileSync(`${model.dir}/metadata.json`, 'utf8')));
  records = provided(await readCsvRecords(model.csv));
  anomalous = await readAnomalyLabels(model.labels);
  vi.resetModules();
  process.env.MODEL_DIR = model.dir;
  handler = (await import('../../functions/predict/handler.ts')).default;
});

async function predictAll(batchSize: number): Promise<Prediction[]> {
  const predictions: Prediction[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const batch: BatchRecord[] = kafkaRecords('cdn_data', records.slice(start, start + batchSize));
    const response = batchResponseSchema.parse(await handler(batchEventOf(batch), recordingContext()));
    for (const result of response.results) {
      if (result.status !== 'ok') throw new Error(`rejected: ${result.reason}`);
      predictions.push(predictionSchema.parse(result.outputs[0]!.value));
    }
  }
  return predictions;
}

describe('predict with a trained ONNX model', () => {
  it('answers an ad-hoc ClientData with one Prediction naming the model', async () => {
    const context = recordingContext();
    const prediction = predictionSchema.parse(await handler(singleEventOf(records[0]), context));
    expect(context.statusCode).toBe(200);
    expect(prediction.sample_id).toBe(records[0]!.sample_id);
    expect(prediction.pipeline_type).toBe(`${metadata.name}@${metadata.version}`);
    expect(prediction.prediction).toBeLessThan(metadata.k);
    expect(Date.now() - Date.parse(prediction.prediction_timestamp)).toBeLessThan(60_000);
  });

  it('gives every record of a batch the verdict of the model, in order', async () => {
    const predictions = await predictAll(1000);
    expect(predictions.map((p) => p.sample_id)).toEqual(records.map((r) => r.sample_id));
    const scorer = await createScorer(model.dir);
    try {
      const expected = await scorer.score(records);
      expect(predictions.map((p) => [p.prediction, p.tag])).toEqual(
        expected.map((s) => [s.cluster, s.anomaly ? 'anomaly' : 'normal']),
      );
    } finally {
      await scorer.close();
    }
  });

  it('tags the injected anomalies far more often than the normal rows', async () => {
    const predictions = await predictAll(500);
    const rate = (rows: Prediction[]) =>
      rows.filter((p) => p.tag === 'anomaly').length / Math.max(rows.length, 1);
    const injected = predictions.filter((_, index) => anomalous.has(index));
    const normal = predictions.filter((_, index) => !anomalous.has(index));
    expect(injected.length).toBeGreaterThan(20);
    expect(rate(injected)).toBeGreaterThan(5 * rate(normal));
  });

  describe('as a replica called like `faas-cli invoke predict`', () => {
    let replica: Replica;

    beforeAll(async () => {
      replica = await startReplica('functions/predict/handler.ts', { MODEL_DIR: model.dir });
    });

    afterAll(async () => {
      await replica?.stop();
    });

    it('returns one Prediction JSON for one ClientData JSON sent as text/plain', async () => {
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(records[1]),
      });
      expect(response.status).toBe(200);
      const prediction = predictionSchema.parse(await response.json());
      expect(prediction).toMatchObject({
        sample_id: records[1]!.sample_id,
        pipeline_type: `${metadata.name}@${metadata.version}`,
      });
    });

    it('answers 400 listing the zod issues for invalid input', async () => {
      const { host_id: _missing, ...incomplete } = records[2]!;
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...incomplete, timestamp: 'yesterday' }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; issues: { path: string[] }[] };
      expect(body.code).toBe('INVALID_INPUT');
      expect(body.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['host_id', 'timestamp']);
    });

    it('logged the model it loaded', () => {
      expect(replica.output()).toContain(`"pipelineType":"${metadata.name}@${metadata.version}"`);
    });
  });
});
