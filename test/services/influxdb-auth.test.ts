// Secure mode's InfluxDB in a home and on ports of its own: users created on the first start with
// passwords in 0600 files, nothing answered without credentials, each user limited to its grant,
// and the system's clients reading with the credentials they are given.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesDown, servicesUp } from '../../deploy/local/index.ts';
import { influxPaths } from '../../deploy/local/layout.ts';
import { influxdbVersion } from '../../deploy/local/influx-files.ts';
import { createQueryApi, readStoredCounts } from '../../dashboard/sources/influx.ts';
import { loadConfig, readInfluxToken } from '../../system/config.ts';
import { answersWithoutCredentials } from '../../deploy/local/influx-auth.ts';
import {
  influxCredentialFile,
  influxUsers,
  readInfluxAdminToken,
  readInfluxQueryToken,
} from '../../system/influx-credentials.ts';
import { servicePorts, tempConfig, type TempSetup } from './support.ts';
import { batchResponseSchema } from '../../contracts/batch.ts';
import { recordingContext } from '../../functions/shared/testing.ts';
import type { Handler } from '../../template/node20-ts/function.ts';
import { loaderEnv } from '../functions/support/influx.ts';
import { batchEventOf, kafkaRecords, provided, rawRow } from '../functions/support/records.ts';

let setup: TempSetup;
const events: string[] = [];

beforeAll(async () => {
  setup = tempConfig(await servicePorts(), { CDNFAAS_SECURE: 'true' });
  const [report] = await servicesUp(setup.config, {
    only: ['influxdb'],
    env: setup.env,
    onProgress: (event) => events.push(event.message),
  });
  expect(report).toMatchObject({ service: 'influxdb', state: 'running', startedByCdnfaas: true });
}, 600_000);

afterAll(async () => {
  if (setup) {
    await servicesDown(setup.config, { env: setup.env });
    rmSync(setup.dir, { recursive: true, force: true });
  }
});

const url = () => setup.config.influxdb.url;
const query = (q: string, token?: string) =>
  fetch(`${url()}/query?${new URLSearchParams({ q, db: setup.config.influxdb.bucket })}`, {
    headers: token === undefined ? {} : { authorization: `Token ${token}` },
  });

describe('InfluxDB in secure mode', () => {
  it('creates admin, writer and reader credentials as user:password files only the owner can read', () => {
    for (const role of ['admin', 'writer', 'reader'] as const) {
      const file = influxCredentialFile(setup.config, role);
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^${influxUsers[role]}:[A-Za-z0-9_-]{32}\\n$`));
    }
    // The loaders' token (the OpenFaaS secret is made from this file) is the writer's.
    expect(readInfluxToken(setup.config, {})).toMatch(/^cdnfaas-writer:/);
  });

  it('answers queries and writes without credentials, or with wrong ones, 401', async () => {
    expect((await query('SHOW DATABASES')).status).toBe(401);
    expect((await query('SHOW DATABASES', 'cdnfaas-reader:wrong')).status).toBe(401);
    const write = await fetch(`${url()}/api/v2/write?bucket=${setup.config.influxdb.bucket}&org=cdnfaas`, {
      method: 'POST',
      body: 'm v=1',
    });
    expect(write.status).toBe(401);
    expect(await answersWithoutCredentials(url())).toBe(false);
    expect(events.join('\n')).not.toContain('answers queries without credentials');
    // The shared services run without secure mode: the same probe tells them apart.
    if (!loadConfig().externalInflux)
      expect(await answersWithoutCredentials(loadConfig().influxdb.url)).toBe(true);
    // Health stays open for probes, and tells nothing stored.
    expect((await fetch(`${url()}/health`)).status).toBe(200);
  });

  it('lets the writer write through the v2 API but not read; the reader read but not write', async () => {
    const { org, bucket } = setup.config.influxdb;
    const writer = new InfluxDB({ url: url(), token: readInfluxToken(setup.config, {}) });
    const write = writer.getWriteApi(org, bucket, 'ms', { maxRetries: 0 });
    write.writePoints(
      [1, 2, 3].map((n) => new Point('secure_check').intField('n', n).timestamp(Date.now() - n)),
    );
    await write.close();

    const asWriter = await query('SELECT count(n) FROM secure_check', readInfluxToken(setup.config, {}));
    expect(asWriter.status).toBe(403);

    const reader = readInfluxQueryToken(setup.config, {});
    expect(reader).toMatch(/^cdnfaas-reader:/);
    const counted = await readStoredCounts(createQueryApi(url(), reader, org, 10_000), bucket, [
      { measurement: 'secure_check', field: 'n' },
    ])();
    expect(counted).toEqual([{ measurement: 'secure_check', points: 3 }]);

    const readerWrite = new InfluxDB({ url: url(), token: reader }).getWriteApi(org, bucket, 'ms', {
      maxRetries: 0,
    });
    readerWrite.writePoint(new Point('secure_check').intField('n', 9));
    await expect(readerWrite.close()).rejects.toThrow(/403|authoriz/i);

    const admin = readInfluxAdminToken(setup.config, {});
    expect((await query('SHOW USERS', admin)).status).toBe(200);
  });

  it('stores what the real load-data function writes with the writer credentials as its OpenFaaS secret', async () => {
    const { org, bucket } = setup.config.influxdb;
    // The secret holds the token file's text, user:password, as `npm run up` creates it.
    Object.assign(
      process.env,
      loaderEnv({ url: url(), org, token: readInfluxToken(setup.config, {}) }, bucket),
    );
    const handler = (await import('../../functions/load-data/handler.ts')).default as Handler;
    const rows = Array.from({ length: 25 }, (_, i) =>
      rawRow({ timestamp: `2088-06-01 10:00:${String(i).padStart(2, '0')}` }),
    );
    const context = recordingContext();
    const response = batchResponseSchema.parse(
      await handler(batchEventOf(kafkaRecords('cdn_client_data_storage', provided(rows))), context),
    );
    expect(context.statusCode).toBe(200);
    expect(response.results.every((result) => result.status === 'ok')).toBe(true);
    const counted = await readStoredCounts(
      createQueryApi(url(), readInfluxQueryToken(setup.config, {}), org, 10_000),
      bucket,
      [{ measurement: 'cdn_client_data', field: 'sample_id' }],
    )();
    expect(counted).toEqual([{ measurement: 'cdn_client_data', points: 25 }]);
  });

  it('keeps users and files as they are on the next start, and passwords out of logs and arguments', async () => {
    const before = (['admin', 'writer', 'reader'] as const).map((role) =>
      readFileSync(influxCredentialFile(setup.config, role), 'utf8'),
    );
    await servicesUp(setup.config, {
      only: ['influxdb'],
      env: setup.env,
      onProgress: (e) => events.push(e.message),
    });
    const after = (['admin', 'writer', 'reader'] as const).map((role) =>
      readFileSync(influxCredentialFile(setup.config, role), 'utf8'),
    );
    expect(after).toEqual(before);
    expect((await query('SHOW DATABASES', readInfluxQueryToken(setup.config, {}))).status).toBe(200);

    const paths = influxPaths(setup.config.cacheDir, setup.config.home, influxdbVersion);
    const record = readFileSync(paths.run.recordFile, 'utf8');
    const log = readFileSync(paths.run.logFile, 'utf8');
    for (const credentials of before) {
      const password = credentials.trim().split(':')[1]!;
      expect(events.join('\n')).not.toContain(password);
      expect(log).not.toContain(password);
      expect(record).not.toContain(password);
    }
  });
});
