import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { modelFiles, modelMetadataSchema, pipelineType } from '../../ml/model-bundle.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { modelImages, modelNameVariable, modelTagVariable } from '../../runtime/build/index.ts';
import { parseImageReference } from '../../runtime/images/reference.ts';
import { defaultStackFile } from '../../runtime/stack/stack-file.ts';
import { formatBytes, formatTable, shortDigest } from '../../runtime/images/format.ts';
import { openImageStore } from '../../runtime/images/store.ts';
import { loadConfig } from '../../system/config.ts';

/** The model (`name@version`) an image directory carries in function/model, if any. */
export function imageModel(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const path = join(dir, 'function', 'model', modelFiles.metadata);
  if (!existsSync(path)) return undefined;
  const metadata = modelMetadataSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return metadata.success ? pipelineType(metadata.data) : 'unreadable';
}

/**
 * `export PREDICT_TAG=... PREDICT_MODEL=...` for `eval` before faas-cli: the installed model's
 * (the image `cdnfaas build` makes of it), or an image's from the store, so tag and model
 * annotation always come as a pair.
 */
function modelEnvLines(store: ReturnType<typeof openImageStore>, ref: string | undefined): string {
  if (ref === undefined) {
    const [image] = modelImages(defaultStackFile(), process.env);
    if (image === undefined)
      throw new CdnfaasError('NOT_FOUND', 'no model is installed in functions/predict/model', {
        hint: 'train one: npx cdnfaas train --data ../shared/data/train_cdn.csv --install',
      });
    return `export ${modelTagVariable}=${image.tag} ${modelNameVariable}=${image.installed.model}`;
  }
  const image = store.resolve(ref);
  const model = imageModel(image?.dir);
  if (image === undefined || model === undefined)
    throw new CdnfaasError('NOT_FOUND', `${ref} is not a model image in ${store.root}`, {
      hint: 'npx cdnfaas images lists the images and the model of each',
    });
  return `export ${modelTagVariable}=${parseImageReference(image.ref).tag} ${modelNameVariable}=${model}`;
}

/** `cdnfaas images [--json] [--rm REF]`: the tags of the local image store and their digests. */
export function register(program: Command): void {
  program
    .command('images')
    .description('list the images in the local image store: tags, digests, sizes, build times')
    .option('--json', 'print JSON instead of a table')
    .option('--rm <image>', 'remove a tag (and its content when no other tag uses it)')
    .option('--prune', 'delete content that no tag names any more (left by build --force)')
    .option(
      '--env [image]',
      "print PREDICT_TAG and PREDICT_MODEL for faas-cli: of the installed model, or of a predict image in the store (a rollback's target)",
    )
    .action(async (options: { json?: boolean; rm?: string; prune?: boolean; env?: string | boolean }) => {
      const store = openImageStore(loadConfig().home);
      if (options.env !== undefined) {
        console.log(modelEnvLines(store, typeof options.env === 'string' ? options.env : undefined));
        return;
      }
      if (options.prune) {
        const removed = await store.prune();
        console.log(
          removed.length === 0 ? 'nothing to prune' : removed.map((digest) => `deleted ${digest}`).join('\n'),
        );
        return;
      }
      if (options.rm !== undefined) {
        const removed = await store.remove(options.rm);
        console.log(
          `removed ${removed.ref} (${shortDigest(removed.digest)}${removed.contentRemoved ? ', content deleted' : ', content still tagged'})`,
        );
        return;
      }
      // Which model each image holds (predict's model/ folder), so a rollback target can be picked.
      const images = store.list().map((image) => ({
        ...image,
        model: imageModel(store.resolve(image.ref)?.dir),
      }));
      if (options.json) {
        console.log(JSON.stringify(images, null, 2));
        return;
      }
      if (images.length === 0) {
        console.log(`no images in ${store.root}; build them with npx cdnfaas build`);
        return;
      }
      const rows = images.map((image) => [
        image.ref,
        shortDigest(image.digest),
        image.function,
        image.model ?? '',
        formatBytes(image.sizeBytes),
        image.createdAt,
      ]);
      console.log(formatTable(['IMAGE', 'DIGEST', 'FUNCTION', 'MODEL', 'SIZE', 'CREATED'], rows));
    });
}
