import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CdnfaasError } from '../../lib/errors.ts';
import { modelFiles } from '../../ml/model-bundle.ts';

export interface ModelDirLookup {
  env: Record<string, string | undefined>;
  /** import.meta.url of the handler module (the bundle in an image, the source file under tsx). */
  handlerUrl: string;
  cwd: string;
  exists?: (path: string) => boolean;
}

/**
 * The folders a model may sit in, in order: MODEL_DIR when set; `model/` beside the handler
 * module (the build copies functions/predict/model there); `model/` and `function/model/` under
 * the working directory (the image root, and the layout of OpenFaaS's node templates).
 */
export function modelDirCandidates(lookup: Omit<ModelDirLookup, 'exists'>): string[] {
  const override = lookup.env.MODEL_DIR;
  if (override) return [resolve(lookup.cwd, override)];
  const beside = join(dirname(fileURLToPath(lookup.handlerUrl)), 'model');
  return [...new Set([beside, join(lookup.cwd, 'model'), join(lookup.cwd, 'function', 'model')])];
}

/** The first candidate holding a model's metadata, or an error naming every folder tried. */
export function resolveModelDir(lookup: ModelDirLookup): string {
  const exists = lookup.exists ?? existsSync;
  const candidates = modelDirCandidates(lookup);
  const found = candidates.find((dir) => exists(join(dir, modelFiles.metadata)));
  if (found === undefined) {
    throw new CdnfaasError(
      'NOT_FOUND',
      `no model found (looked for ${modelFiles.metadata} in ${candidates.join(', ')})`,
      {
        hint: 'train one into the function: npx cdnfaas train --data <csv> --out functions/predict/model, then rebuild the image',
      },
    );
  }
  return found;
}
