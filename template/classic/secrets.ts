import { statSync } from 'node:fs';

/** Where OpenFaaS mounts a function's secrets, one file per secret. */
export const openfaasSecretsDir = '/var/openfaas/secrets';

export type SecretsLocation =
  { kind: 'openfaas'; dir: string } | { kind: 'local'; dir: string; reason: string } | { kind: 'none' };

type Stat = (path: string) => { dev: number; ino: number } | undefined;

const statOrUndefined: Stat = (path) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

/**
 * Where this replica's secrets are readable. The runtime gives their folder in CDNFAAS_SECRETS_DIR
 * and, where it can, bind-mounts it onto /var/openfaas/secrets in the replica's own mount
 * namespace; a bind mount shows the same device and inode at both paths, which is how this tells.
 */
export function secretsLocation(
  env: Record<string, string | undefined>,
  stat: Stat = statOrUndefined,
): SecretsLocation {
  const local = env.CDNFAAS_SECRETS_DIR;
  if (local === undefined || local === '') {
    // Not under the local runtime: in a container OpenFaaS mounts the secrets itself.
    return stat(openfaasSecretsDir) === undefined
      ? { kind: 'none' }
      : { kind: 'openfaas', dir: openfaasSecretsDir };
  }
  const mounted = stat(openfaasSecretsDir);
  const source = stat(local);
  if (
    mounted !== undefined &&
    source !== undefined &&
    mounted.dev === source.dev &&
    mounted.ino === source.ino
  )
    return { kind: 'openfaas', dir: openfaasSecretsDir };
  return {
    kind: 'local',
    dir: local,
    reason: `${openfaasSecretsDir} is not this replica's secrets folder (the runtime mounts it only as root on Linux, in a mount namespace per replica); read secrets from $CDNFAAS_SECRETS_DIR`,
  };
}
