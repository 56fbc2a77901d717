import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../lib/errors.ts';
import { modelFiles, modelMetadataSchema, pipelineType } from './model-bundle.ts';

/**
 * A model as an image version. The predict image carries its model folder, so the image tag must
 * change whenever any file of that folder changes: the tag's model part is a digest over every
 * model file (metrics and model card too, since they are in the image), not the model's
 * `version` (which hashes only what scores records, so two trainings of the same model with
 * different timings share it and would collide under one tag).
 */

/** Hex digits of the digest a tag carries, as in `0.1.0-m61c36ecbd5`. */
export const modelTagDigits = 10;

/** sha256 over the files of a model folder, each as its name, length and bytes, in a fixed order. Pure. */
export function digestModelFiles(files: readonly { name: string; bytes: Uint8Array }[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    hash.update(`${file.name}\0${file.bytes.length}\0`);
    hash.update(file.bytes);
  }
  return hash.digest('hex');
}

/** The image tag of a model build: the code version, then `-m` and the model digest's first digits. Pure. */
export function modelImageTag(codeVersion: string, digest: string): string {
  return `${codeVersion}-m${digest.slice(0, modelTagDigits)}`;
}

/** True when the tag ends with this model digest's `-m<digits>`. Pure. */
export function tagNamesModel(tag: string, digest: string): boolean {
  return tag.endsWith(`-m${digest.slice(0, modelTagDigits)}`);
}

export interface InstalledModel {
  dir: string;
  /** `name@version`, what predictions carry as `pipeline_type`. */
  model: string;
  /** sha256 hex of the folder's files (digestModelFiles). */
  digest: string;
}

/**
 * The model in a folder with its digest, or undefined when the folder holds no model metadata.
 * A folder with metadata but a missing file throws, as the build would ship it broken.
 */
export function readInstalledModel(dir: string): InstalledModel | undefined {
  const metadataPath = join(dir, modelFiles.metadata);
  if (!existsSync(metadataPath)) return undefined;
  try {
    const metadata = modelMetadataSchema.parse(JSON.parse(readFileSync(metadataPath, 'utf8')));
    const files = Object.values(modelFiles).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
    return { dir, model: pipelineType(metadata), digest: digestModelFiles(files) };
  } catch (cause) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `the model in ${dir} is incomplete or malformed: ${(cause as Error).message}`,
      {
        hint: 'install a whole model again: npx cdnfaas train --data <csv> --install',
        context: { dir },
        cause,
      },
    );
  }
}
