// Secure mode for the local InfluxDB 1.8: an admin, a writer and a reader, created on the first
// start with passwords generated into files under the cdnfaas home (0600), kept in step with
// those files on every start. Passwords travel only in request bodies, never in arguments or logs.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import { influxUsers, type InfluxRole } from '../../system/influx-credentials.ts';
import { ensureDatabase } from './influx-http.ts';

export interface Credentials {
  user: string;
  password: string;
}

/** `user:password` as the file holds it and as 1.8 takes it after `Token `. */
export function tokenOf(credentials: Credentials): string {
  return `${credentials.user}:${credentials.password}`;
}

/**
 * The user's credentials from its file; a missing file, or one that holds something else (the
 * placeholder token of a home first started without secure mode), gets a new password. Returns
 * whether it wrote the file.
 */
export function ensureCredentialFile(
  file: string,
  user: string,
): { credentials: Credentials; wrote: boolean } {
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8').trim();
    if (text.startsWith(`${user}:`) && text.length > user.length + 1)
      return { credentials: { user, password: text.slice(user.length + 1) }, wrote: false };
  }
  // base64url: no quote or backslash, so it sits in an InfluxQL string literal as it is.
  const credentials = { user, password: randomBytes(24).toString('base64url') };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${tokenOf(credentials)}\n`, { mode: 0o600 });
  return { credentials, wrote: true };
}

interface QueryAnswer {
  status: number;
  body: { results?: { error?: string; series?: { values?: unknown[][] }[] }[]; error?: string };
}

async function influxQl(url: string, q: string, token?: string): Promise<QueryAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (token !== undefined) headers.authorization = `Token ${token}`;
  const response = await fetch(new URL('query', url.endsWith('/') ? url : `${url}/`), {
    method: 'POST',
    headers,
    body: new URLSearchParams({ q }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as QueryAnswer['body'] };
}

function errorOf(answer: QueryAnswer): string | undefined {
  return answer.body.error ?? answer.body.results?.find((result) => result.error)?.error;
}

/** Runs a statement as the admin; a refusal names the statement's verb, never its password. */
async function asAdmin(url: string, q: string, admin: Credentials): Promise<QueryAnswer> {
  const answer = await influxQl(url, q, tokenOf(admin));
  const error = errorOf(answer);
  if (answer.status === 401 || answer.status === 403) {
    throw new CdnfaasError(
      'UNAUTHORIZED',
      `InfluxDB at ${url} refused the admin user ${admin.user}: ${error ?? answer.status}`,
      {
        hint: 'its data was set up with another admin password: put the right one in the admin file, or delete the InfluxDB data folder under the cdnfaas home to start over',
      },
    );
  }
  if (answer.status >= 300 || error !== undefined) {
    throw new CdnfaasError(
      'UPSTREAM_FAILED',
      `InfluxDB at ${url} refused ${q.split(' ').slice(0, 2).join(' ')}: ${error ?? answer.status}`,
    );
  }
  return answer;
}

export interface InfluxAuthSetup {
  url: string;
  database: string;
  /** The file of each user's `user:password`. */
  files: Record<InfluxRole, string>;
}

/**
 * Creates the admin (allowed without credentials only while InfluxDB has no user at all), then as
 * the admin the writer and the reader (or sets their passwords to the files'), the database, and
 * the grants: WRITE for the writer, READ for the reader. Idempotent. Returns the files it wrote.
 */
export async function ensureInfluxUsers(setup: InfluxAuthSetup): Promise<string[]> {
  const written: string[] = [];
  const credentials = {} as Record<InfluxRole, Credentials>;
  for (const role of Object.keys(influxUsers) as InfluxRole[]) {
    const { credentials: own, wrote } = ensureCredentialFile(setup.files[role], influxUsers[role]);
    credentials[role] = own;
    if (wrote) written.push(setup.files[role]);
  }
  const { admin, writer, reader } = credentials;
  // Answered with an error once any user exists; then the admin must already be there.
  await influxQl(
    setup.url,
    `CREATE USER "${admin.user}" WITH PASSWORD '${admin.password}' WITH ALL PRIVILEGES`,
  );
  const shown = await asAdmin(setup.url, 'SHOW USERS', admin);
  const existing = new Set((shown.body.results?.[0]?.series?.[0]?.values ?? []).map((row) => String(row[0])));
  for (const user of [writer, reader]) {
    await asAdmin(
      setup.url,
      existing.has(user.user)
        ? `SET PASSWORD FOR "${user.user}" = '${user.password}'`
        : `CREATE USER "${user.user}" WITH PASSWORD '${user.password}'`,
      admin,
    );
  }
  await ensureDatabase(setup.url, setup.database, tokenOf(admin));
  const database = setup.database.replace(/"/g, '\\"');
  await asAdmin(setup.url, `GRANT WRITE ON "${database}" TO "${writer.user}"`, admin);
  await asAdmin(setup.url, `GRANT READ ON "${database}" TO "${reader.user}"`, admin);
  return written;
}

/** True when InfluxDB runs a query sent without credentials: it runs without auth-enabled. */
export async function answersWithoutCredentials(url: string): Promise<boolean> {
  return (await influxQl(url, 'SHOW DATABASES')).status === 200;
}
