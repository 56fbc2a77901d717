import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';

/** Where OpenFaaS mounts a function's secrets, one file per secret. */
export const openfaasSecretsDir = '/var/openfaas/secrets';

type Env = Record<string, string | undefined>;

/** The folders a secret is looked up in: the local runtime's folder first, then OpenFaaS's. */
export function secretCandidates(name: string, env: Env): string[] {
  const local = env.CDNFAAS_SECRETS_DIR;
  return [...(local ? [join(local, name)] : []), join(openfaasSecretsDir, name)];
}

/**
 * Reads a secret from the first file that exists, trimmed. The value is never logged and never
 * part of an error message; errors name the files that were tried.
 */
export function readSecret(name: string, env: Env = process.env): string {
  const candidates = secretCandidates(name, env);
  const file = candidates.find((candidate) => existsSync(candidate));
  if (file === undefined) {
    throw new CdnfaasError(
      'CONFIG_NOT_FOUND',
      `secret ${name} not found (looked in ${candidates.join(', ')})`,
      {
        hint: `grant the secret in stack.yml (secrets: [${name}]) and create it with faas-cli secret create ${name}`,
      },
    );
  }
  return readFileSync(file, 'utf8').trim();
}
