/**
 * The provider's decisions about a deploy request, as pure functions: which environment a
 * replica inherits, how many replicas a function starts with, and when a change needs new
 * processes (a rolling update) rather than new metadata.
 */
import { CdnfaasError } from '../../lib/errors.ts';
import type { FunctionSpec } from './types.ts';

/** The OpenFaaS label that sets the initial replica count, as faas-netes reads it. */
export const minReplicasLabel = 'com.openfaas.scale.min';

/** Environment variables a replica inherits from the gateway; nothing else leaks in. */
export const inheritedEnvNames = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'NODE_ENV'];

export function inheritedEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    inheritedEnvNames.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])),
  );
}

/**
 * True when the change needs new processes: another image (reference or content, as Kubernetes
 * rolls on a changed image string), environment, secrets or memory limit. Labels and annotations
 * alone do not.
 */
export function needsRollout(
  previous: FunctionSpec,
  previousDigest: string,
  next: FunctionSpec,
  nextDigest: string,
): boolean {
  const runtime = (spec: FunctionSpec, digest: string) =>
    JSON.stringify([
      spec.image,
      digest,
      spec.envProcess ?? '',
      Object.entries(spec.envVars).sort(),
      [...spec.secrets].sort(),
      spec.limits?.memory ?? '',
    ]);
  return runtime(previous, previousDigest) !== runtime(next, nextDigest);
}

export function initialReplicas(labels: Record<string, string>, maxReplicas: number): number {
  const value = labels[minReplicasLabel];
  if (value === undefined) return 1;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > maxReplicas) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `label ${minReplicasLabel}=${JSON.stringify(value)} is not a whole number from 0 to ${maxReplicas}`,
      {
        hint: `set ${minReplicasLabel} to the number of replicas to start with, e.g. '1'`,
      },
    );
  }
  return parsed;
}
