import { describe, expect, it } from 'vitest';
import { batchResponseSchema } from '../../contracts/batch.ts';
import { clientDataSchema } from '../../contracts/client-data.ts';
import { batchEvent, csvRow, recordingContext, singleEvent } from '../shared/testing.ts';
import handler from './handler.ts';

const row = csvRow();

describe('provide handler', () => {
  it('answers a batch with one result per record: ClientData keyed by sample_id, or a reason', async () => {
    const context = recordingContext();
    const event = batchEvent(
      'cdn_raw',
      [row, { ...row, user_id: 'oops' }, [1, 2], { ...row, timestamp: '2088-05-17 13:02:09' }],
      {
        partition: 2,
        firstOffset: 100,
      },
    );
    const response = batchResponseSchema.parse(await handler(event, context));
    expect(context.statusCode).toBe(200);
    expect(response.results.map((result) => result.status)).toEqual(['ok', 'rejected', 'rejected', 'ok']);
    const [first, bad, notAnObject, last] = response.results;
    expect(bad).toEqual({
      status: 'rejected',
      reason: 'user_id is not an integer (got "oops"): garbled value',
    });
    expect(notAnObject?.status === 'rejected' && notAnObject.reason).toMatch(/expected record/);
    for (const result of [first, last]) {
      if (result?.status !== 'ok') throw new Error('expected ok');
      expect(result.outputs).toHaveLength(1);
      const value = clientDataSchema.parse(result.outputs[0]!.value);
      expect(result.outputs[0]!.key).toBe(value.sample_id);
    }
  });

  it('gives the same ids when the connector re-delivers the batch', async () => {
    const event = () => batchEvent('cdn_raw', [row, row], { partition: 1, firstOffset: 7 });
    const ids = async () =>
      batchResponseSchema
        .parse(await handler(event(), recordingContext()))
        .results.map((result) => (result.status === 'ok' ? result.outputs[0]!.key : result.reason));
    const firstDelivery = await ids();
    expect(await ids()).toEqual(firstDelivery);
    expect(new Set(firstDelivery).size).toBe(2);
  });

  it('answers an ad-hoc call with the ClientData itself', async () => {
    const context = recordingContext();
    const value = clientDataSchema.parse(await handler(singleEvent(row), context));
    expect(context.statusCode).toBe(200);
    expect(value.timestamp).toBe('2088-05-17T13:02:08.000Z');
  });

  it('answers an ad-hoc call with a bad record with 400 and the reason', async () => {
    const context = recordingContext();
    const body = await handler(singleEvent({ ...row, extra: '1' }), context);
    expect(context.statusCode).toBe(400);
    expect(body).toEqual({ code: 'INVALID_INPUT', message: 'unexpected column(s): "extra"' });
  });
});
