import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * How the process provider starts a replica of a classic image. OpenFaaS functions read their
 * secrets at /var/openfaas/secrets/<name>; a shell or Python function has no other way to find
 * them. Each replica's secrets live in its own folder, so each replica gets its own mount
 * namespace (`unshare --mount`) in which that folder is bind-mounted, read-only, onto the OpenFaaS
 * path; the machine's own /var/openfaas/secrets is untouched. That needs root on Linux; elsewhere
 * the replica starts as before and reads $CDNFAAS_SECRETS_DIR, and the provider logs why.
 * node20-ts images start unchanged: their template reads secrets from CDNFAAS_SECRETS_DIR.
 */

export const openfaasSecretsDir = '/var/openfaas/secrets';

/** The image languages whose replicas get /var/openfaas/secrets. */
const mountedLanguages = new Set(['classic']);

export type MountSupport = { ok: true } | { ok: false; reason: string };

export interface LaunchInput {
  /** The image's `lang` from its manifest. */
  lang: string | undefined;
  /** `node` and its arguments, as the provider would run them. */
  command: string;
  args: string[];
  /** This replica's secrets folder (CDNFAAS_SECRETS_DIR). */
  secretsDir: string | undefined;
  /** Asked only for a classic image, so other replicas never pay for the probe. */
  support: () => MountSupport;
}

export interface Launch {
  command: string;
  args: string[];
  /** A line for the function's log when the replica cannot have the OpenFaaS secrets path. */
  notice?: string;
}

/**
 * In the new namespace: bind the replica's folder onto the OpenFaaS path, make it read-only (two
 * steps, as older mount(8) ignore ro on a bind), then become the replica process (exec keeps the
 * pid, so the provider's signals reach node itself).
 */
const mountScript =
  'set -e; mkdir -p "$2"; mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"; shift 2; exec "$@"';

/** The command that starts a replica: unchanged, or wrapped in its own mount namespace. */
export function planLaunch(input: LaunchInput): Launch {
  const plain = { command: input.command, args: input.args };
  if (!mountedLanguages.has(input.lang ?? '') || input.secretsDir === undefined) return plain;
  const support = input.support();
  if (!support.ok) {
    return {
      ...plain,
      notice: `[cdnfaas] secrets are in $CDNFAAS_SECRETS_DIR (${input.secretsDir}), not ${openfaasSecretsDir}: ${support.reason}`,
    };
  }
  return {
    command: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      '--',
      'sh',
      '-c',
      mountScript,
      'cdnfaas-secrets',
      input.secretsDir,
      openfaasSecretsDir,
      input.command,
      ...input.args,
    ],
  };
}

let cached: MountSupport | undefined;

/**
 * Whether this machine can give a replica its own mount namespace: Linux, root, unshare and
 * mount present and allowed (a container without CAP_SYS_ADMIN is root yet refused). Probed once
 * per process with a real `unshare --mount true` (a few milliseconds).
 */
export function mountNamespaceSupport(): MountSupport {
  if (cached !== undefined) return cached;
  cached = probe();
  return cached;
}

function probe(): MountSupport {
  if (process.platform !== 'linux')
    return { ok: false, reason: `mount namespaces need Linux, not ${process.platform}` };
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'mount namespaces need root; the gateway runs as another user' };
  try {
    mkdirSync(openfaasSecretsDir, { recursive: true, mode: 0o755 });
  } catch (error) {
    return { ok: false, reason: `${openfaasSecretsDir} cannot be created: ${(error as Error).message}` };
  }
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'mount', '--version'], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  if (result.error !== undefined)
    return { ok: false, reason: `unshare could not run (${result.error.message}); install util-linux` };
  if (result.status !== 0)
    return {
      ok: false,
      reason: `unshare --mount was refused: ${result.stderr.trim() || `exit ${result.status}`}`,
    };
  return { ok: true };
}
