import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Basic-auth credentials for the gateway's /system/* API. Never logged. */
export interface Credentials {
  user: string;
  password: string;
}

/**
 * Where credentials come from. Read on every use, so a rotated password file is picked up
 * without a restart. Undefined means "send no Authorization header".
 */
export type CredentialSource = () => Credentials | undefined;

export const noCredentials: CredentialSource = () => undefined;

function readTrimmed(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * OpenFaaS keeps the gateway's basic-auth secret as two files, `basic-auth-user` and
 * `basic-auth-password`, in one folder (on Kubernetes the mounted `basic-auth` secret).
 */
export function credentialsFromDirectory(dir: string): CredentialSource {
  return () => {
    const password = readTrimmed(join(dir, 'basic-auth-password'));
    if (password === undefined) return undefined;
    return { user: readTrimmed(join(dir, 'basic-auth-user')) ?? 'admin', password };
  };
}

/** OPENFAAS_USER / OPENFAAS_PASSWORD (or OPENFAAS_PASSWORD_FILE) when set, else the folder. */
export function credentialsFromEnvironment(
  env: Record<string, string | undefined>,
  fallback: CredentialSource,
): CredentialSource {
  return () => {
    const password =
      env.OPENFAAS_PASSWORD ??
      (env.OPENFAAS_PASSWORD_FILE ? readTrimmed(env.OPENFAAS_PASSWORD_FILE) : undefined);
    if (password === undefined) return fallback();
    return { user: env.OPENFAAS_USER ?? 'admin', password };
  };
}

export { basicAuthHeader } from '../../lib/basic-auth.ts';
