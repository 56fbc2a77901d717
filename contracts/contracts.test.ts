import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientDataRecord } from '../functions/shared/testing.ts';
import { clientDataSchema, predictionSchema } from './index.ts';
import { jsonSchemaDir, jsonSchemaFiles, renderJsonSchema } from './json-schema.ts';

// The first row of the CDN test file as provide stores it, with every field.
const validClientData = clientDataRecord();

describe('ClientData', () => {
  it('accepts a record with every field', () => {
    expect(clientDataSchema.parse(validClientData)).toEqual(validClientData);
  });

  it.each([
    ['an extra key', { ...validClientData, extra: 1 }, 'extra'],
    ['a missing field', { ...validClientData, user_id: undefined }, 'user_id'],
    ['a float code', { ...validClientData, host_id: 1.5 }, 'host_id'],
    ['a negative channel', { ...validClientData, channel_id: -1 }, 'channel_id'],
    ['a date without time', { ...validClientData, timestamp: '2088-05-13' }, 'timestamp'],
    ['an impossible date', { ...validClientData, timestamp: '2088-02-30T00:00:00Z' }, 'timestamp'],
    ['a non-UUID sample id', { ...validClientData, sample_id: 'abc' }, 'sample_id'],
  ])('rejects %s, naming the field', (_label, input, field) => {
    const result = clientDataSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(field);
  });
});

describe('Prediction', () => {
  const prediction = {
    sample_id: validClientData.sample_id,
    prediction_timestamp: '2088-05-13T07:00:01.000Z',
    prediction: 4,
    tag: 'normal',
    pipeline_type: 'kmeans@1.0.0',
  };

  it('accepts a prediction with every field', () => {
    expect(predictionSchema.parse(prediction)).toEqual(prediction);
  });

  it('rejects extra keys and a negative cluster', () => {
    expect(predictionSchema.safeParse({ ...prediction, score: 1 }).success).toBe(false);
    expect(predictionSchema.safeParse({ ...prediction, prediction: -1 }).success).toBe(false);
  });
});

describe('generated JSON Schema', () => {
  it.each(Object.entries(jsonSchemaFiles))(
    '%s matches the zod schema (run `npx tsx contracts/json-schema.ts`)',
    (file, schema) => {
      const committed = readFileSync(join(jsonSchemaDir, file), 'utf8');
      expect(committed).toBe(renderJsonSchema(schema));
    },
  );

  it('forbids extra keys in ClientData', () => {
    const json = JSON.parse(readFileSync(join(jsonSchemaDir, 'client-data.schema.json'), 'utf8'));
    expect(json.additionalProperties).toBe(false);
    expect(json.required).toHaveLength(9);
  });
});
