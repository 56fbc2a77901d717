import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { batchResponseSchema } from '../../contracts/batch.ts';
import type { Handler } from '../../template/node20-ts/function.ts';
import { recordingContext } from '../../functions/shared/testing.ts';
import { countPoints, databaseForFile, loaderEnv } from './support/influx.ts';
import { closedPort, silentServer, switchableProxy, type Switchable } from './support/network.ts';
import { kafkaRecords, postBatch, provided, rawRow, batchEventOf } from './support/records.ts';
import { startReplica, type Replica } from './support/replica.ts';

const { target, database } = databaseForFile('outage');
const rows = Array.from({ length: 50 }, (_, i) =>
  rawRow({ timestamp: `2088-05-17 14:00:${String(i).padStart(2, '0')}` }),
);
const records = kafkaRecords('cdn_client_data_storage', provided(rows));

async function importHandler(env: Record<string, string>): Promise<Handler> {
  vi.resetModules();
  Object.assign(process.env, env);
  return (await import('../../functions/load-data/handler.ts')).default;
}

describe('load-data while InfluxDB is unavailable', () => {
  it('fails the call with 503 when nothing listens, and acknowledges nothing', async () => {
    const handler = await importHandler({
      ...loaderEnv(target, database, `http://127.0.0.1:${await closedPort()}`),
    });
    await expect(handler(batchEventOf(records), recordingContext())).rejects.toMatchObject({
      code: 'SERVICE_UNREACHABLE',
      status: 503,
    });
    expect(await countPoints(target, database, 'cdn_client_data')).toBe(0);
  });

  it('fails the call with 504 when InfluxDB accepts the connection but never answers', async () => {
    const hung = await silentServer();
    try {
      const handler = await importHandler({
        ...loaderEnv(target, database, hung.url),
        INFLUX_TIMEOUT_MS: '300',
      });
      await expect(handler(batchEventOf(records), recordingContext())).rejects.toMatchObject({
        code: 'TIMEOUT',
        status: 504,
      });
    } finally {
      await hung.close();
    }
  });

  describe('a replica, as the connector calls it', () => {
    let proxy: Switchable;
    let replica: Replica;

    beforeAll(async () => {
      proxy = await switchableProxy(target.url);
      replica = await startReplica('functions/load-data/handler.ts', loaderEnv(target, database, proxy.url));
    });

    afterAll(async () => {
      await replica?.stop();
      await proxy?.close();
    });

    it('answers 503 while InfluxDB is down, then stores the retried batch exactly once', async () => {
      await proxy.down();
      const failed = await postBatch(replica.url, records);
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({ code: 'SERVICE_UNREACHABLE' });
      expect(batchResponseSchema.safeParse(failed.body).success).toBe(false);
      expect(await countPoints(target, database, 'cdn_client_data')).toBe(0);

      await proxy.up();
      const retried = await postBatch(replica.url, records);
      expect(retried.status).toBe(200);
      expect(batchResponseSchema.parse(retried.body).results).toHaveLength(records.length);
      // The connector may deliver it once more (say, it crashed before committing): still once.
      expect((await postBatch(replica.url, records)).status).toBe(200);
      expect(await countPoints(target, database, 'cdn_client_data')).toBe(records.length);
    });

    it('never writes the token to its logs', () => {
      expect(replica.output()).toContain('writing to InfluxDB');
      expect(replica.output()).not.toContain(target.token === 'no-auth' ? '\u0000' : target.token);
    });
  });
});
