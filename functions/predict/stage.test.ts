import { describe, expect, it } from 'vitest';
import { batchResponseSchema } from '../../contracts/batch.ts';
import type { ClientData } from '../../contracts/client-data.ts';
import { predictionSchema } from '../../contracts/prediction.ts';
import { stageHandler } from '../../template/node20-ts/stage.ts';
import { batchEvent, clientDataRecord, recordingContext, singleEvent } from '../shared/testing.ts';
import { predictStage, type Model } from './stage.ts';

const record: ClientData = clientDataRecord();

/** A model that puts a record in cluster host_id % 4 and calls user 99 an anomaly; counts its calls. */
function fakeModel(): Model & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    pipelineType: 'fake@0.0.1',
    async score(records) {
      batches.push(records.length);
      return records.map((r) => ({ cluster: r.host_id % 4, anomaly: r.user_id === 99 }));
    },
  };
}

const clock = () => new Date('2088-05-17T13:02:09.000Z');

describe('predict stage', () => {
  it('scores the valid records of a batch in one call and keys each prediction by sample_id', async () => {
    const model = fakeModel();
    const handler = stageHandler(predictStage(model, clock));
    const anomalous = {
      ...record,
      sample_id: '1b6f5c2e-8a4d-5d1e-9c3b-2f7a1e4d6c8b',
      host_id: 7,
      user_id: 99,
    };
    const event = batchEvent('cdn_data', [record, { ...record, host_id: 'x' }, anomalous]);
    const response = batchResponseSchema.parse(await handler(event, recordingContext()));
    expect(model.batches).toEqual([2]);
    const [first, bad, last] = response.results;
    expect(bad).toEqual({
      status: 'rejected',
      reason: 'host_id: Invalid input: expected number, received string',
    });
    expect(first).toEqual({
      status: 'ok',
      outputs: [
        {
          key: record.sample_id,
          value: {
            sample_id: record.sample_id,
            prediction_timestamp: '2088-05-17T13:02:09.000Z',
            prediction: 0,
            tag: 'normal',
            pipeline_type: 'fake@0.0.1',
          },
        },
      ],
    });
    expect(last?.status === 'ok' && predictionSchema.parse(last.outputs[0]!.value)).toMatchObject({
      prediction: 3,
      tag: 'anomaly',
    });
  });

  it('answers an ad-hoc ClientData with one Prediction', async () => {
    const context = recordingContext();
    const body = await stageHandler(predictStage(fakeModel(), clock))(singleEvent(record), context);
    expect(context.statusCode).toBe(200);
    expect(predictionSchema.parse(body)).toEqual({
      sample_id: record.sample_id,
      prediction_timestamp: '2088-05-17T13:02:09.000Z',
      prediction: 0,
      tag: 'normal',
      pipeline_type: 'fake@0.0.1',
    });
  });

  it('takes the record as JSON text too, as faas-cli invoke sends it (text/plain)', async () => {
    const context = recordingContext();
    const event = { ...singleEvent(JSON.stringify(record)), headers: { 'content-type': 'text/plain' } };
    const body = await stageHandler(predictStage(fakeModel(), clock))(event, context);
    expect(context.statusCode).toBe(200);
    expect(predictionSchema.parse(body)).toMatchObject({ sample_id: record.sample_id, prediction: 0 });
  });

  it('answers invalid ClientData with 400 listing every zod issue', async () => {
    const context = recordingContext();
    const { user_id: _missing, ...incomplete } = record;
    const body = (await stageHandler(predictStage(fakeModel(), clock))(
      singleEvent({ ...incomplete, channel_id: -3, extra: 1 }),
      context,
    )) as {
      code: string;
      message: string;
      issues: { path: string[] }[];
    };
    expect(context.statusCode).toBe(400);
    expect(body.code).toBe('INVALID_INPUT');
    expect(body.issues.map((issue) => issue.path.join('.') || '(record)').sort()).toEqual([
      '(record)',
      'channel_id',
      'user_id',
    ]);
    expect(body.message).toContain('user_id');
  });
});
