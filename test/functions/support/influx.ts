import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCdnfaasError } from '../../../lib/errors.ts';
import { loadConfig } from '../../../system/config.ts';
import { readInfluxAdminToken } from '../../../system/influx-credentials.ts';

/** The InfluxDB the integration tests write to: system config (INFLUX_URL overrides it). */
export interface InfluxTarget {
  url: string;
  org: string;
  token: string;
}

export function influxTarget(): InfluxTarget {
  const config = loadConfig();
  let token: string;
  try {
    // Tests create databases of their own: the admin's credentials in secure mode.
    token = readInfluxAdminToken(config);
  } catch (error) {
    // An external InfluxDB 1.x without auth has no token file and accepts any token.
    if (!isCdnfaasError(error, 'CONFIG_NOT_FOUND') || !config.externalInflux) throw error;
    token = 'no-auth';
  }
  return { url: config.influxdb.url, org: config.influxdb.org, token };
}

/** A database name of its own for one test file, so tests never see each other's points. */
export function uniqueDatabase(label: string): string {
  return `cdnfaas_test_${label}_${process.pid}_${Date.now().toString(36)}`;
}

async function influxQL(target: InfluxTarget, query: string, database?: string): Promise<InfluxQLResult> {
  const params = new URLSearchParams({ q: query, ...(database ? { db: database } : {}) });
  const response = await fetch(`${target.url}/query`, {
    method: 'POST',
    headers: { authorization: `Token ${target.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: params,
  });
  const body = (await response.json()) as InfluxQLResult;
  if (!response.ok || body.results?.[0]?.error) {
    throw new Error(`InfluxQL ${query} failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body;
}

interface InfluxQLResult {
  results?: { error?: string; series?: { name: string; columns: string[]; values: unknown[][] }[] }[];
}

export const createDatabase = (target: InfluxTarget, name: string) =>
  influxQL(target, `CREATE DATABASE "${name}"`);
export const dropDatabase = (target: InfluxTarget, name: string) =>
  influxQL(target, `DROP DATABASE "${name}"`);

/** Rows of a query as objects; times come back as RFC 3339 strings with every nanosecond. */
export async function selectRows(
  target: InfluxTarget,
  database: string,
  query: string,
): Promise<Record<string, unknown>[]> {
  const body = await influxQL(target, query, database);
  return (body.results?.[0]?.series ?? []).flatMap((series) =>
    series.values.map((values) => Object.fromEntries(series.columns.map((column, i) => [column, values[i]]))),
  );
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
