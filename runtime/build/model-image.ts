import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import {
  modelImageTag,
  readInstalledModel,
  tagNamesModel,
  type InstalledModel,
} from '../../ml/model-digest.ts';
import { parseImageReference } from '../images/reference.ts';
import { loadStackFile, type StackFunction } from '../stack/stack-file.ts';

/**
 * Functions that carry a trained model (predict) declare it with the `cdnfaas.model` annotation,
 * whose value is the model the image holds (`name@version`, what predictions carry as
 * pipeline_type), so `faas-cli describe` shows it. stack.yml writes the image and the
 * annotation with two variables that faas-cli and cdnfaas substitute alike:
 *
 *   image: cdnfaas/predict:${PREDICT_TAG:-0.1.0}        the code version when unset
 *   cdnfaas.model: ${PREDICT_MODEL:-unset}
 *
 * cdnfaas fills both from the installed model when they are unset (modelImageEnv), and a build
 * that checks models (checkModelImage) refuses a tag that does not name the model's files, so a
 * tag never changes content and a retrain never collides with an earlier build.
 */
export const modelAnnotation = 'cdnfaas.model';
export const modelTagVariable = 'PREDICT_TAG';
export const modelNameVariable = 'PREDICT_MODEL';
/** Where a model-carrying function keeps its model: `model/` in its handler folder. */
export const modelFolder = 'model';

type Env = Record<string, string | undefined>;

const unset = (value: string | undefined): boolean => value === undefined || value === '';

export function carriesModel(fn: Pick<StackFunction, 'annotations'>): boolean {
  return modelAnnotation in fn.annotations;
}

export function modelDirOf(fn: Pick<StackFunction, 'handler'>): string {
  return join(fn.handler, modelFolder);
}

/** The command that ships a model with faas-cli, for messages and `cdnfaas train`. Pure. */
export function faasCliUpCommand(fnName: string, tag: string, model: string): string {
  return `${modelTagVariable}=${tag} ${modelNameVariable}=${model} faas-cli up -f stack.yml --filter ${fnName}`;
}

export interface ModelImage {
  function: string;
  installed: InstalledModel;
  /** `<code version>-m<digest>`: the tag this model's image is built and deployed as by default. */
  tag: string;
  /** The full reference, e.g. `cdnfaas/predict:0.1.0-m61c36ecbd5`. */
  ref: string;
}

/**
 * The installed model of each model-carrying function in a stack file, with the image it ships
 * as. The code version is the stack's tag with the tag variable unset (stack.yml's default).
 */
export function modelImages(stackFile: string, env: Env): ModelImage[] {
  const stack = loadStackFile(stackFile, { env: { ...env, [modelTagVariable]: undefined } });
  return stack.functions.filter(carriesModel).flatMap((fn) => {
    const installed = readInstalledModel(modelDirOf(fn));
    if (installed === undefined) return [];
    const parsed = parseImageReference(fn.image);
    const tag = modelImageTag(parsed.tag, installed.digest);
    return [{ function: fn.name, installed, tag, ref: `${parsed.name}:${tag}` }];
  });
}

/**
 * The environment with PREDICT_TAG and PREDICT_MODEL set from the installed model where they are
 * unset: what `cdnfaas build`, `npm run up` and the tests build and deploy with. A value the
 * user set is kept (and checked by the build).
 */
export function modelImageEnv(stackFile: string, env: Env): Env {
  const [image] = modelImages(stackFile, env);
  if (image === undefined) return env;
  return {
    ...env,
    [modelTagVariable]: unset(env[modelTagVariable]) ? image.tag : env[modelTagVariable],
    [modelNameVariable]: unset(env[modelNameVariable]) ? image.installed.model : env[modelNameVariable],
  };
}

const trainHint =
  'train and install one: npx cdnfaas train --data ../shared/data/train_cdn.csv --install (or on sample data: npx cdnfaas generate-data --rows 20000 --out sample.csv, then train --data sample.csv --install); npm run up does this on its first run';

/**
 * Refuses to build a model-carrying function without a model, under a tag that does not name
 * its model's files, or with a `cdnfaas.model` annotation naming another model. Pure given the
 * installed model (undefined when there is none).
 */
export function checkModelImage(
  fn: Pick<StackFunction, 'name' | 'annotations'>,
  image: string,
  modelDir: string,
  installed: InstalledModel | undefined,
): void {
  if (installed === undefined) {
    throw new CdnfaasError('NOT_FOUND', `${fn.name} carries a model, but ${modelDir} holds none`, {
      hint: trainHint,
      context: { function: fn.name, modelDir },
    });
  }
  const parsed = parseImageReference(image);
  const codeVersion = parsed.tag.replace(/-m[0-9a-f]+$/, '');
  const expected = modelImageTag(codeVersion, installed.digest);
  if (parsed.digest !== undefined || !tagNamesModel(parsed.tag, installed.digest)) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `${image} does not name the model in ${modelDir} (${installed.model}): a ${fn.name} tag ends with -m and its model's digest (here ${expected}), so that a tag never changes content`,
      {
        hint: `build and deploy it as ${parsed.name}:${expected}: ${faasCliUpCommand(fn.name, expected, installed.model)}, or npx cdnfaas build --filter ${fn.name} (which picks that tag when ${modelTagVariable} is unset)`,
        context: { function: fn.name, image, model: installed.model },
      },
    );
  }
  const annotated = fn.annotations[modelAnnotation];
  if (annotated !== installed.model) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `${fn.name}'s ${modelAnnotation} annotation is ${JSON.stringify(annotated)}, but ${image} holds ${installed.model}`,
      {
        hint: `set ${modelNameVariable} with ${modelTagVariable}, so that faas-cli describe shows the model: ${faasCliUpCommand(fn.name, parsed.tag, installed.model)}`,
        context: { function: fn.name, image, model: installed.model },
      },
    );
  }
}
