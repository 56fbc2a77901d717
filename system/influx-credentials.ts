// The InfluxDB credentials of each kind of client. Without secure mode there is one token file
// (InfluxDB 1.8 without auth accepts any token); in secure mode three users exist, each with a
// file `user:password` under the cdnfaas home (1.8 takes `Token user:password` on every API):
// the admin (provisioning, benchmarks' scratch databases), the writer (the loaders' token, which
// is influxdb.tokenFile) and the reader (dashboard, status, read-backs of chaos and tests).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../lib/errors.ts';
import { readInfluxToken, type SystemConfig } from './config.ts';

type Env = Record<string, string | undefined>;

export const influxUsers = {
  admin: 'cdnfaas-admin',
  writer: 'cdnfaas-writer',
  reader: 'cdnfaas-reader',
} as const;

export type InfluxRole = keyof typeof influxUsers;

/** Where each user's `user:password` lives; the writer's is the loaders' token file. */
export function influxCredentialFile(
  config: Pick<SystemConfig, 'home' | 'influxdb'>,
  role: InfluxRole,
): string {
  return role === 'writer' ? config.influxdb.tokenFile : join(config.home, 'secrets', `influxdb-${role}`);
}

function readCredentialFile(file: string, role: InfluxRole): string {
  if (!existsSync(file)) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `InfluxDB ${role} credentials file ${file} does not exist`, {
      hint: 'run `npx cdnfaas services up --secure` (it creates the users and their files), or set INFLUX_TOKEN',
    });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The token a client that only reads (queries) uses: INFLUX_TOKEN when set, the reader's
 * credentials in secure mode, otherwise the one token file. Never logged.
 */
export function readInfluxQueryToken(config: SystemConfig, env: Env = process.env): string {
  if (env.INFLUX_TOKEN) return env.INFLUX_TOKEN;
  if (!config.secure || config.externalInflux) return readInfluxToken(config, env);
  return readCredentialFile(influxCredentialFile(config, 'reader'), 'reader');
}

/** The token of a client that creates and drops databases: the admin's in secure mode. */
export function readInfluxAdminToken(config: SystemConfig, env: Env = process.env): string {
  if (env.INFLUX_TOKEN) return env.INFLUX_TOKEN;
  if (!config.secure || config.externalInflux) return readInfluxToken(config, env);
  return readCredentialFile(influxCredentialFile(config, 'admin'), 'admin');
}
