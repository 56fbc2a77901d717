// A loader's handler under test against a database of its own: created before the file's tests,
// dropped after, with the loader's environment pointing at it.
import { beforeAll, expect } from 'vitest';
import { batchResponseSchema, type BatchResponse } from '../../../contracts/batch.ts';
import { recordingContext } from '../../../functions/shared/testing.ts';
import type { Handler } from '../../../template/node20-ts/function.ts';
import { databaseForFile, loaderEnv, selectRows, type InfluxTarget } from './influx.ts';
import { batchEventOf, singleEventOf, type kafkaRecords } from './records.ts';

export interface LoaderUnderTest {
  target: InfluxTarget;
  database: string;
  /** The handler, once the file's beforeAll has run. */
  handler(): Handler;
  /** Calls the handler with one batch and expects 200 with every record ok. */
  store(records: ReturnType<typeof kafkaRecords>): Promise<BatchResponse>;
  /** Calls the handler with one ad-hoc record and expects 200. */
  storeOne(value: unknown): Promise<void>;
  /** Rows of a query on the test database. */
  rows(query: string): Promise<Record<string, unknown>[]>;
}

export function loaderUnderTest(name: 'load-data' | 'load-predictions'): LoaderUnderTest {
  const { target, database } = databaseForFile(name.replace('-', '_'));
  let handler: Handler | undefined;
  beforeAll(async () => {
    Object.assign(process.env, loaderEnv(target, database));
    handler = (await import(`../../../functions/${name}/handler.ts`)).default as Handler;
  });
  const loaded = (): Handler => {
    if (handler === undefined) throw new Error(`${name}'s handler is read before beforeAll imported it`);
    return handler;
  };
  return {
    target,
    database,
    handler: loaded,
    async store(records) {
      const context = recordingContext();
      const response = batchResponseSchema.parse(await loaded()(batchEventOf(records), context));
      expect(context.statusCode).toBe(200);
      expect(response.results.every((result) => result.status === 'ok')).toBe(true);
      return response;
    },
    async storeOne(value) {
      const context = recordingContext();
      await loaded()(singleEventOf(value), context);
      expect(context.statusCode).toBe(200);
    },
    rows: (query) => selectRows(target, database, query),
  };
}
