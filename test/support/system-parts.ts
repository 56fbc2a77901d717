// The small pieces test/support/system.ts is made of: run names, the stack rewritten for a run,
// free ports, the InfluxDB database of a run, and waiting on what is stored against a deadline.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { readStoredCounts, type StoredCounts } from '../../deploy/local/pipeline/stored.ts';
import { predictModelDir } from '../../deploy/local/pipeline/model.ts';
import type { StackFunction } from '../../runtime/stack/stack-file.ts';
import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import { readGroupLag, type LagTarget } from '../../scaling/lag/reader.ts';
import type { SystemConfig } from '../../system/config.ts';
import { readInfluxAdminToken } from '../../system/influx-credentials.ts';

/** A name no other run uses: short, lowercase, valid as function-name suffix and topic prefix. */
export function runIdentity(label: string): { id: string; database: string } {
  const clean =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 8) || 'sys';
  const id = `${clean}-${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 5)}`;
  return { id, database: `cdnfaas_${id.replace(/-/g, '_')}` };
}

/**
 * The InfluxDB token of the services (the admin's in secure mode: test systems write to databases
 * of their own); an external InfluxDB 1.x without auth takes any token.
 */
export function tokenForTests(config: SystemConfig): string {
  try {
    return readInfluxAdminToken(config);
  } catch (error) {
    if (!isCdnfaasError(error, 'CONFIG_NOT_FOUND') || !config.externalInflux) throw error;
    return 'no-auth';
  }
}

interface InfluxQLBody {
  results?: { error?: string; series?: { columns: string[]; values: unknown[][] }[] }[];
  error?: string;
}

/** InfluxQL through /query; rows of the first statement as objects. */
export async function influxQuery(
  config: SystemConfig,
  token: string,
  query: string,
  database?: string,
): Promise<Record<string, unknown>[]> {
  return influxQueryAt(config.influxdb.url, token, query, database);
}

/** The same against the InfluxDB at `url` (a test may point at one of its own). */
export async function influxQueryAt(
  url: string,
  token: string,
  query: string,
  database?: string,
): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q: query, ...(database ? { db: database } : {}) }),
  });
  const body = (await response.json()) as InfluxQLBody;
  const error = body.error ?? body.results?.[0]?.error;
  if (!response.ok || error) {
    throw new CdnfaasError('UPSTREAM_FAILED', `InfluxQL ${query} failed: ${response.status} ${error ?? ''}`, {
      hint: `check that InfluxDB answers at ${url}`,
    });
  }
  return (body.results?.[0]?.series ?? []).flatMap((series) =>
    series.values.map((values) => Object.fromEntries(series.columns.map((column, i) => [column, values[i]]))),
  );
}

export async function createRunDatabase(
  config: SystemConfig,
  token: string,
  database: string,
): Promise<void> {
  await influxQuery(config, token, `CREATE DATABASE "${database}"`);
}

export interface StageLag {
  function: string;
  topic: string;
  /** Records the function's consumer group has still to consume (uncommitted ones count). */
  lag: number;
}

export async function pipelineLag(admin: Admin, stages: LagTarget[]): Promise<StageLag[]> {
  return Promise.all(
    stages.map(async (stage) => ({
      function: stage.function,
      topic: stage.topic,
      lag: (await readGroupLag(admin, stage)).totalLag,
    })),
  );
}

/** Polls counts (every 500 ms) and then lags until both are final, or throws TIMEOUT saying where it stood. */
export async function waitForStored(
  config: SystemConfig,
  admin: Admin,
  stages: LagTarget[],
  expected: number,
  options: { timeoutMs?: number; onChange?: (counts: StoredCounts) => void },
): Promise<StoredCounts> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let counts: StoredCounts = { clientData: -1, predictions: -1 };
  let lags: StageLag[] = [];
  for (;;) {
    const next = await readStoredCounts(config);
    if (next.clientData !== counts.clientData || next.predictions !== counts.predictions)
      options.onChange?.(next);
    counts = next;
    if (counts.clientData >= expected && counts.predictions >= expected) {
      // Reached: once no group has anything left to consume, nothing more can arrive.
      lags = await pipelineLag(admin, stages);
      if (lags.every((stage) => stage.lag === 0)) return readStoredCounts(config);
    }
    if (Date.now() > deadline) break;
    await sleep(500);
  }
  lags = await pipelineLag(admin, stages);
  throw new CdnfaasError(
    'TIMEOUT',
    `after ${timeoutMs / 1000} s: ${counts.clientData} cdn_client_data and ${counts.predictions} predictions stored ` +
      `(expected ${expected} each); lag ${lags.map((stage) => `${stage.function} ${stage.lag}`).join(', ')}`,
    { hint: 'read the gateway and connector logs in the run home (KEEP_TEST_HOME=1 keeps it)' },
  );
}

/** Rewrites a stack function for the run: own name, topics prefixed, extra environment. Pure. */
export function isolateFunction(
  fn: StackFunction,
  id: string,
  extraEnv: Record<string, string> = {},
): StackFunction {
  const prefixed = (list: string) =>
    list
      .split(',')
      .map((topic) => topic.trim())
      .filter((topic) => topic !== '')
      .map((topic) => `${id}.${topic}`)
      .join(',');
  const annotations = { ...fn.annotations };
  for (const key of ['topic', 'cdnfaas.output'])
    if (annotations[key] !== undefined) annotations[key] = prefixed(annotations[key]);
  return { ...fn, name: `${fn.name}-${id}`, annotations, environment: { ...fn.environment, ...extraEnv } };
}

/** predict bakes its model into the image: without one its replicas cannot start. */
export function requireModel(): void {
  if (existsSync(join(predictModelDir, 'model.onnx'))) return;
  throw new CdnfaasError('CONFIG_NOT_FOUND', `no model in ${predictModelDir}: the predict image needs one`, {
    hint: 'train one with `npx cdnfaas generate-data --rows 20000 --out /tmp/sample.csv && npx cdnfaas train --data /tmp/sample.csv --install` (`npm run up` does this too)',
  });
}
