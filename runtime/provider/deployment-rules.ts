/**
 * The provider's decisions about a deploy request, as pure functions: which environment a
 * replica inherits, which labels the provider adds, how many replicas a function starts with,
 * and when a change needs new processes (a rolling update).
 */
import { CdnfaasError } from '../../lib/errors.ts';
import type { FunctionSpec } from '../../contracts/openfaas/function.ts';

/** The OpenFaaS label that sets the initial replica count, as faas-netes reads it. */
export const minReplicasLabel = 'com.openfaas.scale.min';

/** Environment variables a replica inherits from the gateway; nothing else leaks in. */
export const inheritedEnvNames = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'NODE_ENV'];

export function inheritedEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    inheritedEnvNames.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]!]])),
  );
}

/** The label every OpenFaaS provider puts on a function's replicas, naming the function. */
export const functionNameLabel = 'faas_function';

/** The spec as the provider keeps it: the user's labels plus `faas_function`, as faas-netes adds it. */
export function withProviderLabels(spec: FunctionSpec): FunctionSpec {
  return { ...spec, labels: { ...spec.labels, [functionNameLabel]: spec.name } };
}

/** What a revision's replicas run: the spec, the image content and the secrets' content. */
export interface RevisionInputs {
  spec: FunctionSpec;
  /** Digest of the image content the reference resolved to. */
  imageDigest: string;
  /** Digest of the named secrets' values (see secretsDigest), so an updated secret rolls too. */
  secretsDigest: string;
}

const sortedEntries = (map: Record<string, string>): [string, string][] =>
  Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The inputs as one string, independent of map key order and of the order secrets are listed in. */
function canonical({ spec, imageDigest, secretsDigest }: RevisionInputs): string {
  return JSON.stringify([
    spec.image,
    imageDigest,
    spec.envProcess ?? '',
    sortedEntries(spec.envVars),
    [...spec.constraints].sort(),
    [...spec.secrets].sort(),
    secretsDigest,
    sortedEntries(spec.labels),
    sortedEntries(spec.annotations),
    [spec.limits?.memory ?? '', spec.limits?.cpu ?? ''],
    [spec.requests?.memory ?? '', spec.requests?.cpu ?? ''],
    spec.readOnlyRootFilesystem,
  ]);
}

/**
 * True when an update needs new processes. As Kubernetes rolls a Deployment on any change of its
 * pod template, any change of the image (reference or content), environment, secrets (names or
 * values), labels, annotations, limits or requests rolls the replicas; the same spec again (a
 * repeated `faas-cli deploy`) does not. Replica count is not part of it: scaling is not a rollout.
 */
export function needsRollout(previous: RevisionInputs, next: RevisionInputs): boolean {
  return canonical(previous) !== canonical(next);
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
