// Talking to a running InfluxDB over HTTP: health, version, database, and the local token file.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import type { HealthResult } from './health.ts';

function endpoint(baseUrl: string, path: string): string {
  return new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code;
  return (error as Error).message;
}

export async function influxHealth(baseUrl: string): Promise<HealthResult> {
  try {
    const response = await fetch(endpoint(baseUrl, 'health'), { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) return { healthy: false, detail: `GET /health answered ${response.status}` };
    const body = (await response.json().catch(() => ({}))) as { status?: string; message?: string };
    return body.status === 'pass'
      ? { healthy: true, detail: body.message ?? 'pass' }
      : { healthy: false, detail: `GET /health status ${body.status ?? 'missing'}` };
  } catch (error) {
    return { healthy: false, detail: describeFetchError(error) };
  }
}

/** The version the server reports in its /ping headers, when it answers. */
export async function influxVersion(baseUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(endpoint(baseUrl, 'ping'), { signal: AbortSignal.timeout(3_000) });
    return response.headers.get('x-influxdb-version') ?? undefined;
  } catch {
    return undefined;
  }
}

/** CREATE DATABASE is idempotent in InfluxDB 1.x. */
export async function ensureDatabase(
  baseUrl: string,
  database: string,
  token: string | undefined,
): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (token) headers.authorization = `Token ${token}`;
  const body = new URLSearchParams({ q: `CREATE DATABASE "${database.replace(/"/g, '\\"')}"` });
  let response: Response;
  try {
    response = await fetch(endpoint(baseUrl, 'query'), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new CdnfaasError(
      'SERVICE_UNREACHABLE',
      `InfluxDB at ${baseUrl} did not answer CREATE DATABASE: ${describeFetchError(error)}`,
      {
        hint: 'check that InfluxDB is running (`npx cdnfaas services status`)',
      },
    );
  }
  const text = await response.text();
  const failed = !response.ok || /"error"\s*:/.test(text);
  if (failed) {
    throw new CdnfaasError(
      'UPSTREAM_FAILED',
      `InfluxDB at ${baseUrl} refused CREATE DATABASE ${database}: ${response.status} ${text.slice(0, 200)}`,
      {
        hint: `create the database/bucket "${database}" yourself, or check the token and permissions`,
      },
    );
  }
}

export const placeholderToken = 'cdnfaas-local-influxdb-has-no-auth';

/** InfluxDB 1.8 without auth accepts any token; the file exists so clients read it like a real secret. */
export function ensureTokenFile(file: string): boolean {
  if (existsSync(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${placeholderToken}\n`, { mode: 0o600 });
  return true;
}
