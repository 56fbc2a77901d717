/**
 * The local image store's contract: what `cdnfaas build` writes and the process provider runs.
 * An image is an immutable directory, addressed by the sha256 digest of its content, and named
 * by one or more `name:tag` references (the `image` of a function in stack.yml).
 */

export const manifestFileName = 'manifest.json';

export interface ImageManifest {
  schemaVersion: 1;
  /** The reference it was built as, e.g. `cdnfaas/predict:0.1.0`. */
  image: string;
  /** `sha256:<hex>` over the artifact's files (paths and contents), excluding the manifest. */
  digest: string;
  /** The function name from stack.yml. */
  function: string;
  /** File to run with `node`, relative to the image directory; the replica's cwd is that directory. */
  entrypoint: string;
  /** ISO 8601 build time. */
  createdAt: string;
  /** Every file of the artifact, relative paths, sorted. */
  files: string[];
  /** Total bytes of those files. */
  sizeBytes?: number;
  /** The template the function was built with, e.g. `node20-ts`. */
  lang?: string;
}

export interface ResolvedImage {
  /** The reference asked for, normalised (`name:tag`, tag defaults to `latest`). */
  ref: string;
  digest: string;
  /** Absolute path of the image directory. */
  dir: string;
  manifest: ImageManifest;
}

/** What the provider needs from the store: resolve a reference to a runnable directory. */
export interface ImageResolver {
  resolve(ref: string): ResolvedImage | undefined;
}

/**
 * How a replica is started by the process provider: `node <dir>/<entrypoint>` with cwd `<dir>` and
 * these environment variables, plus the function's own envVars from the deploy request.
 * The replica is ready once GET http://127.0.0.1:<PORT>/_/health answers 200.
 */
export const replicaEnv = {
  port: 'PORT',
  functionName: 'CDNFAAS_FUNCTION',
  replicaId: 'CDNFAAS_REPLICA',
  imageRef: 'CDNFAAS_IMAGE',
  /** Folder holding one file per secret granted to the function (OpenFaaS: /var/openfaas/secrets). */
  secretsDir: 'CDNFAAS_SECRETS_DIR',
} as const;

export const replicaHealthPath = '/_/health';
