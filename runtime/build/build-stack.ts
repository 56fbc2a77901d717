import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import { projectRoot as defaultProjectRoot } from '../../system/config.ts';
import { openImageStore, type LocalImageStore } from '../images/store.ts';
import { defaultStackFile, loadStackFile, matchesFilter, type StackFunction } from '../stack/stack-file.ts';
import { readInstalledModel } from '../../ml/model-digest.ts';
import { buildFunction, type BuiltFunction } from './build-function.ts';
import { carriesModel, checkModelImage, modelDirOf } from './model-image.ts';

export type BuildEvent =
  | { type: 'start'; function: string; image: string; index: number; total: number }
  | { type: 'built'; result: BuiltFunction }
  | { type: 'skipped'; function: string; reason: string }
  | { type: 'failed'; function: string; error: unknown };

export interface BuildStackOptions {
  /** Default: stack.yaml or stack.yml in the current folder. */
  stackFile?: string;
  /** faas-cli style: a name, or a pattern with `*`. */
  filter?: string;
  /** Move an existing tag to new content instead of refusing with CONFLICT. */
  force?: boolean;
  /** Where the store lives: `<home>/images`. */
  config: { home: string };
  /** Another store than the one under config.home (tests). */
  store?: LocalImageStore;
  /** Per-function image reference overriding stack.yml (the docker shim passes faas-cli's tag). */
  images?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /**
   * Refuse a function that carries a model (annotation cdnfaas.model) when it has none, or when
   * its tag or annotation does not name it (model-image.ts). `cdnfaas build`, `npm run up` and
   * the docker shim check; a caller that supplies the model otherwise (MODEL_DIR) need not.
   */
  checkModels?: boolean;
  projectRoot?: string;
  onEvent?: (event: BuildEvent) => void;
}

function selectFunctions(
  functions: StackFunction[],
  filter: string | undefined,
  file: string,
): StackFunction[] {
  const selected = functions.filter((fn) => matchesFilter(fn.name, filter));
  if (selected.length === 0) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `no function in ${file} matches --filter ${JSON.stringify(filter)}`,
      {
        hint: `the functions are: ${functions.map((fn) => fn.name).join(', ') || '(none)'}`,
      },
    );
  }
  return selected;
}

/**
 * Builds the functions of a stack file into the local image store. Every selected function is
 * attempted; if any fails, the error is thrown afterwards (the only one as it is, or a summary
 * carrying the first one's code), so a CONFLICT stays a CONFLICT for callers.
 */
export async function buildStack(options: BuildStackOptions): Promise<BuiltFunction[]> {
  const stack = loadStackFile(
    options.stackFile ?? defaultStackFile(),
    options.env === undefined ? {} : { env: options.env },
  );
  const store = options.store ?? openImageStore(options.config.home);
  const selected = selectFunctions(stack.functions, options.filter, stack.file);
  const results: BuiltFunction[] = [];
  const failures: { function: string; error: unknown }[] = [];
  for (const [index, fn] of selected.entries()) {
    if (fn.skipBuild) {
      options.onEvent?.({ type: 'skipped', function: fn.name, reason: 'skip_build: true' });
      continue;
    }
    const image = options.images?.[fn.name] ?? fn.imageRef;
    options.onEvent?.({ type: 'start', function: fn.name, image, index, total: selected.length });
    try {
      if (options.checkModels === true && carriesModel(fn)) {
        const modelDir = modelDirOf(fn);
        checkModelImage(fn, image, modelDir, readInstalledModel(modelDir));
      }
      const result = await buildFunction({
        fn,
        image,
        store,
        projectRoot: options.projectRoot ?? defaultProjectRoot,
        stackDir: stack.dir,
        force: options.force ?? false,
      });
      results.push(result);
      options.onEvent?.({ type: 'built', result });
    } catch (error) {
      failures.push({ function: fn.name, error });
      options.onEvent?.({ type: 'failed', function: fn.name, error });
    }
  }
  if (failures.length === 1) throw failures[0]!.error;
  if (failures.length > 1) {
    const first = failures[0]!.error;
    const lines = failures.map(
      (failure) => `  ${failure.function}: ${(failure.error as Error).message ?? String(failure.error)}`,
    );
    throw new CdnfaasError(
      isCdnfaasError(first) ? first.code : 'INTERNAL',
      `${failures.length} functions failed to build:\n${lines.join('\n')}`,
      {
        hint: isCdnfaasError(first) ? (first.hint ?? 'fix the errors above') : 'fix the errors above',
        cause: first,
      },
    );
  }
  return results;
}
