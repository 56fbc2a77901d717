import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../../system/config.ts';
import { influxQueryAt, tokenForTests } from '../../support/system-parts.ts';

/** The InfluxDB the integration tests write to: system config (INFLUX_URL overrides it). */
export interface InfluxTarget {
  url: string;
  org: string;
  token: string;
}

export function influxTarget(): InfluxTarget {
  const config = loadConfig();
  // Tests create databases of their own: the admin's credentials in secure mode.
  return { url: config.influxdb.url, org: config.influxdb.org, token: tokenForTests(config) };
}

/** A database name of its own for one test file, so tests never see each other's points. */
export function uniqueDatabase(label: string): string {
  return `cdnfaas_test_${label}_${process.pid}_${Date.now().toString(36)}`;
}

export const createDatabase = (target: InfluxTarget, name: string) =>
  influxQueryAt(target.url, target.token, `CREATE DATABASE "${name}"`);
export const dropDatabase = (target: InfluxTarget, name: string) =>
  influxQueryAt(target.url, target.token, `DROP DATABASE "${name}"`);

/** A database of its own for the tests of one file: created before them, dropped after them. */
export function databaseForFile(label: string): { target: InfluxTarget; database: string } {
  const target = influxTarget();
  const database = uniqueDatabase(label);
  beforeAll(async () => {
    await createDatabase(target, database);
  });
  afterAll(async () => {
    await dropDatabase(target, database);
  });
  return { target, database };
}

/** Rows of a query as objects; times come back as RFC 3339 strings with every nanosecond. */
export function selectRows(
  target: InfluxTarget,
  database: string,
  query: string,
): Promise<Record<string, unknown>[]> {
  return influxQueryAt(target.url, target.token, query, database);
}

/** How many points a measurement holds (counting a field every point has). */
export async function countPoints(
  target: InfluxTarget,
  database: string,
  measurement: string,
): Promise<number> {
  const rows = await selectRows(target, database, `SELECT count(sample_id) FROM "${measurement}"`);
  return (rows[0]?.count as number | undefined) ?? 0;
}

/** How many distinct sample_ids a measurement holds. */
export async function countDistinctSampleIds(
  target: InfluxTarget,
  database: string,
  measurement: string,
): Promise<number> {
  const rows = await selectRows(target, database, `SELECT count(distinct(sample_id)) FROM "${measurement}"`);
  return rows[0]?.count as number;
}

/** A secrets folder holding the InfluxDB token, as the runtime mounts it for a function. */
export function secretsDirWithToken(token: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-secrets-'));
  writeFileSync(join(dir, 'influxdb-token'), token);
  return dir;
}

/** The environment a loader replica gets from stack.yml, pointed at a test database. */
export function loaderEnv(target: InfluxTarget, database: string, url = target.url): Record<string, string> {
  return {
    INFLUX_URL: url,
    INFLUX_ORG: target.org,
    INFLUX_BUCKET: database,
    CDNFAAS_SECRETS_DIR: secretsDirWithToken(target.token),
  };
}
