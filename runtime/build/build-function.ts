import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import { parseImageReference } from '../images/reference.ts';
import type { LocalImageStore, PutResult } from '../images/store.ts';
import type { StackFunction } from '../stack/stack-file.ts';
import {
  BundleError,
  NameClashError,
  buildImageFolder,
  listExtraFiles,
  type ImageFolder,
} from '../../template/node20-ts/image-folder.mjs';
import { listHandlerFolderFiles } from './function-files.ts';

/** The templates the local build knows: the folder holds index.ts, the server entry. */
export const buildableLanguages = ['node20-ts', 'classic'] as const;

/**
 * Templates whose function is a program the watchdog runs per call (`fprocess`), not a TypeScript
 * handler: the handler folder is copied as it is, and may be empty (`functions/alpine` style).
 */
const classicLanguages = new Set(['classic']);

/**
 * Tags that name "the newest build", which Docker moves on every build: rebuilding one with new
 * content moves it, where any other tag is refused with CONFLICT unless forced. Replicas already
 * running the old content keep it (the store keeps content until pruned).
 */
export function isMutableTag(ref: string): boolean {
  const parsed = parseImageReference(ref);
  return parsed.digest === undefined && parsed.tag === 'latest';
}

export const imageEntrypoint = 'index.mjs';

export interface BuildFunctionInput {
  fn: StackFunction;
  /** The image reference to store it as; the stack's image unless overridden (faas-cli --tag). */
  image?: string;
  store: LocalImageStore;
  /** The cdnfaas project root: bundle paths are relative to it; its template/ is the fallback. */
  projectRoot: string;
  /** The stack file's folder: its template/<lang> wins when it exists, as with faas-cli. */
  stackDir: string;
  force?: boolean;
}

export interface BuiltFunction extends PutResult {
  function: string;
  files: number;
  sizeBytes: number;
  externals: string[];
  ms: number;
}

export function findTemplateDir(lang: string, stackDir: string, projectRoot: string): string {
  if (!(buildableLanguages as readonly string[]).includes(lang)) {
    throw new CdnfaasError('INVALID_INPUT', `template ${JSON.stringify(lang)} cannot be built locally`, {
      hint: `use lang: ${buildableLanguages.join(' or ')} in stack.yml`,
    });
  }
  for (const dir of [join(stackDir, 'template', lang), join(projectRoot, 'template', lang)]) {
    if (existsSync(join(dir, 'index.ts'))) return dir;
  }
  throw new CdnfaasError(
    'CONFIG_NOT_FOUND',
    `template ${lang} not found under ${stackDir}/template or ${projectRoot}/template`,
    {
      hint: `restore template/${lang} from git`,
    },
  );
}

function classicHandlerDir(fn: StackFunction): string {
  if (!existsSync(fn.handler) || !statSync(fn.handler).isDirectory()) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `function ${fn.name}: ${fn.handler} is not a folder`, {
      hint: `create the handler folder (functions.${fn.name}.handler in stack.yml); it may be empty when fprocess is a program on the machine: mkdir -p ${fn.handler}`,
    });
  }
  return fn.handler;
}

function handlerEntry(fn: StackFunction): string {
  const entry = join(fn.handler, 'handler.ts');
  if (!existsSync(entry)) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `function ${fn.name}: ${entry} does not exist`, {
      hint: `the handler folder in stack.yml (functions.${fn.name}.handler) must hold handler.ts with a default-exported handler`,
    });
  }
  return entry;
}

/** The image folder as the container build lays it out (template/node20-ts/image-folder.mjs), errors typed. */
async function layOutImageFolder(input: Parameters<typeof buildImageFolder>[0]): Promise<ImageFolder> {
  try {
    return await buildImageFolder(input);
  } catch (error) {
    if (error instanceof BundleError)
      throw new CdnfaasError('INVALID_INPUT', error.message, {
        hint: 'fix the import or syntax error named above (npx tsc --noEmit shows type errors too)',
        cause: error,
      });
    if (error instanceof NameClashError)
      throw new CdnfaasError('INVALID_INPUT', error.message, { hint: 'rename it', cause: error });
    throw error;
  }
}

/** Bundles one function, adds its files and native packages, and stores it under its image tag. */
export async function buildFunction(input: BuildFunctionInput): Promise<BuiltFunction> {
  const started = performance.now();
  const { fn, store } = input;
  const templateDir = findTemplateDir(fn.lang, input.stackDir, input.projectRoot);
  const classic = classicLanguages.has(fn.lang);
  const entry = classic ? undefined : handlerEntry(fn);
  const extras = classic ? listHandlerFolderFiles(classicHandlerDir(fn)) : listExtraFiles(fn.handler);
  const staging = store.createStagingDir();
  try {
    const folder = await layOutImageFolder({
      workingDir: input.projectRoot,
      serverEntry: join(templateDir, 'index.ts'),
      ...(entry === undefined ? {} : { handlerEntry: entry }),
      handlerDir: fn.handler,
      extras,
      outDir: staging,
    });
    const image = input.image ?? fn.imageRef;
    const result = await store.put(
      image,
      staging,
      { function: fn.name, entrypoint: imageEntrypoint, lang: fn.lang },
      {
        force: (input.force ?? false) || isMutableTag(image),
      },
    );
    return {
      ...result,
      function: fn.name,
      files: result.manifest.files.length,
      sizeBytes: result.manifest.sizeBytes ?? 0,
      externals: folder.externals.map((external) => external.name),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
