import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { batchResponseSchema, type BatchRecord } from '../../contracts/batch.ts';
import type { RawRecord } from '../../contracts/raw-record.ts';
import { createRng, hashString } from '../../lib/prng.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { projectRoot } from '../../system/config.ts';
import type { Handler } from '../../template/node20-ts/function.ts';
import { recordingContext } from '../../functions/shared/testing.ts';
import {
  countDistinctSampleIds,
  countPoints,
  createDatabase,
  dropDatabase,
  influxTarget,
  loaderEnv,
  uniqueDatabase,
} from './support/influx.ts';
import { trainSampleModel } from './support/model.ts';
import { batchEventOf } from './support/records.ts';

/**
 * The published CDN test file through the four functions in order, as the connector would call
 * them (batches with Kafka coordinates; outputs keyed by sample_id spread over 6 partitions),
 * into InfluxDB: every record must be one point in each measurement, also when every timestamp
 * is truncated to the minute and the rows are shuffled, and also when batches are re-delivered.
 */
const testFile = join(projectRoot, '..', 'shared', 'data', 'test_cdn.csv');
const partitions = 6;
const target = influxTarget();

interface Functions {
  provide: Handler;
  predict: Handler;
  loadData: Handler;
  loadPredictions: Handler;
}

/** Assigns coordinates as Kafka would: round-robin without a key, by key hash with one. */
function publish(
  topic: string,
  outputs: { key: string | null; value: unknown }[],
  offsets: number[],
): BatchRecord[] {
  return outputs.map((output, index) => {
    const partition = output.key === null ? index % partitions : hashString(output.key) % partitions;
    return { topic, partition, offset: String(offsets[partition]!++), key: output.key, value: output.value };
  });
}

async function call(handler: Handler, records: BatchRecord[], batchSize: number) {
  const outputs: { key: string | null; value: unknown }[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const response = batchResponseSchema.parse(
      await handler(batchEventOf(records.slice(start, start + batchSize)), recordingContext()),
    );
    for (const result of response.results) {
      if (result.status !== 'ok') throw new Error(`rejected: ${result.reason}`);
      outputs.push(...result.outputs);
    }
  }
  return outputs;
}

async function runPipeline(functions: Functions, rows: RawRecord[]) {
  const raw = publish(
    'cdn_raw',
    rows.map((value) => ({ key: null, value })),
    new Array(partitions).fill(0),
  );
  const clientData = await call(functions.provide, raw, 1000);
  const stored = publish('cdn_client_data_storage', clientData, new Array(partitions).fill(0));
  const predictions = await call(
    functions.predict,
    publish('cdn_data', clientData, new Array(partitions).fill(0)),
    1000,
  );
  const results = publish('cdn_result', predictions, new Array(partitions).fill(0));
  await call(functions.loadData, stored, 2000);
  await call(functions.loadPredictions, results, 2000);
  // The connector re-delivers some batches (a crash before its commit): nothing may change.
  await call(functions.loadData, stored.slice(0, 4000), 2000);
  await call(functions.loadPredictions, results.slice(6000, 10_000), 2000);
  return { clientData: clientData.length, predictions: predictions.length };
}

async function functionsFor(database: string, modelDir: string): Promise<Functions> {
  vi.resetModules();
  Object.assign(process.env, loaderEnv(target, database), { MODEL_DIR: modelDir });
  const load = async (name: string) =>
    (await import(`../../functions/${name}/handler.ts`)).default as Handler;
  return {
    provide: await load('provide'),
    predict: await load('predict'),
    loadData: await load('load-data'),
    loadPredictions: await load('load-predictions'),
  };
}

describe.skipIf(!existsSync(testFile))('the CDN test file through all four functions into InfluxDB', () => {
  let rows: RawRecord[];
  let modelDir: string;
  const databases: string[] = [];

  beforeAll(async () => {
    rows = await readCsvRecords(testFile);
    modelDir = (await trainSampleModel(3000, 5)).dir;
  });

  afterAll(async () => {
    for (const database of databases) await dropDatabase(target, database);
  });

  it.each([
    ['as published', false],
    ['with timestamps truncated to the minute and rows shuffled', true],
  ])('stores every record once in each measurement: %s', async (_label, coarse) => {
    let input = rows;
    if (coarse) {
      const rng = createRng(2088);
      input = rows.map((row) => ({ ...row, timestamp: `${String(row.timestamp).slice(0, 16)}:00` }));
      for (let i = input.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [input[i], input[j]] = [input[j]!, input[i]!];
      }
    }
    const database = uniqueDatabase(coarse ? 'cdn_coarse' : 'cdn_file');
    databases.push(database);
    await createDatabase(target, database);
    const counts = await runPipeline(await functionsFor(database, modelDir), input);
    expect(counts).toEqual({ clientData: 22_109, predictions: 22_109 });
    expect(await countPoints(target, database, 'cdn_client_data')).toBe(22_109);
    expect(await countPoints(target, database, 'predictions')).toBe(22_109);
    expect(await countDistinctSampleIds(target, database, 'cdn_client_data')).toBe(22_109);
    expect(await countDistinctSampleIds(target, database, 'predictions')).toBe(22_109);
  });
});
