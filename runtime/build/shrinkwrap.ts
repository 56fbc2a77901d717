import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import { loadStackFile, matchesFilter } from '../stack/stack-file.ts';

/**
 * `cdnfaas build --shrinkwrap`: the Docker build contexts `faas-cli build --shrinkwrap` writes,
 * file for file, without building (go-sdk builder.CreateBuildContext): build/<fn>/ holds the
 * template folder, build/<fn>/function/ the handler folder's entries except `build` and
 * `template`, and build/<fn>/function/<path> every path of `configuration.copy`. Paths are
 * relative to `root` (faas-cli's working folder), which copy paths must not leave.
 */

export interface ShrinkwrapOptions {
  stackFile: string;
  /** faas-cli's working folder: template/, build/ and copy paths are relative to it. Default: the stack file's folder. */
  root?: string;
  filter?: string;
  env?: Record<string, string | undefined>;
}

export interface ShrinkwrappedContext {
  function: string;
  /** Absolute path of build/<fn>. */
  dir: string;
  /** Every file in it, relative to dir, sorted. */
  files: string[];
}

/** faas-cli's handler overlay: the handler goes to function/ unless the language is `dockerfile`. */
const handlerOverlay = 'function';

/** As Go's copyFiles: directories recursively (symlinks followed), files with their mode. */
function copyPath(source: string, target: string): void {
  const info = statSync(source);
  if (info.isDirectory()) {
    mkdirSync(target, { recursive: true, mode: info.mode & 0o777 });
    for (const name of readdirSync(source)) copyPath(join(source, name), join(target, name));
    return;
  }
  mkdirSync(resolve(target, '..'), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, info.mode & 0o7777);
}

/** The absolute path of a copy entry, refused when it is the root itself or outside it (pathInScope). */
export function pathInScope(path: string, root: string): string {
  const absolute = resolve(root, path);
  const scope = resolve(root);
  if (absolute === scope) {
    throw new CdnfaasError('INVALID_INPUT', `configuration.copy path ${path} is the entire project`, {
      hint: 'list the folders the handlers import from, e.g. ./lib',
    });
  }
  if (!absolute.startsWith(scope + sep)) {
    throw new CdnfaasError('INVALID_INPUT', `configuration.copy path ${path} is outside ${scope}`, {
      hint: 'faas-cli only copies paths inside the folder it runs in',
    });
  }
  return absolute;
}

export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      return statSync(path).isDirectory() ? listFiles(path, rel) : [rel];
    })
    .sort();
}

function templateDir(root: string, lang: string, fn: string): string {
  const dir = join(root, 'template', lang);
  if (!existsSync(join(dir, 'template.yml'))) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `function ${fn}: template ${lang} not found in ${dir}`, {
      hint: 'faas-cli reads templates from ./template/<lang>/template.yml under the folder it runs in',
    });
  }
  return dir;
}

/** Writes build/<fn>/ for each selected function of the stack (skip_build ones too, as faas-cli --shrinkwrap skips them). */
export function shrinkwrapStack(options: ShrinkwrapOptions): ShrinkwrappedContext[] {
  const stack = loadStackFile(options.stackFile, options.env === undefined ? {} : { env: options.env });
  const root = resolve(options.root ?? stack.dir);
  const selected = stack.functions.filter((fn) => matchesFilter(fn.name, options.filter) && !fn.skipBuild);
  if (selected.length === 0) {
    throw new CdnfaasError('INVALID_INPUT', `no function of ${stack.file} to shrinkwrap`, {
      hint: `the functions are: ${stack.functions.map((fn) => fn.name).join(', ') || '(none)'} (skip_build ones are left out)`,
    });
  }
  const copies = stack.copy.map((path) => ({ path, absolute: pathInScope(path, root) }));
  return selected.map((fn) => {
    const dir = join(root, 'build', fn.name);
    rmSync(dir, { recursive: true, force: true });
    const handlerTarget = fn.lang === 'dockerfile' ? dir : join(dir, handlerOverlay);
    mkdirSync(handlerTarget, { recursive: true, mode: 0o700 });
    if (fn.lang !== 'dockerfile') copyPath(templateDir(root, fn.lang, fn.name), dir);
    if (!existsSync(fn.handler) || !statSync(fn.handler).isDirectory()) {
      throw new CdnfaasError(
        'CONFIG_NOT_FOUND',
        `function ${fn.name}: handler folder ${fn.handler} does not exist`,
        {
          hint: `fix functions.${fn.name}.handler in ${stack.file}`,
        },
      );
    }
    for (const name of readdirSync(fn.handler)) {
      if (name === 'build' || name === 'template') continue;
      copyPath(join(fn.handler, name), join(handlerTarget, name));
    }
    for (const copy of copies) {
      if (!existsSync(copy.absolute)) {
        throw new CdnfaasError('CONFIG_NOT_FOUND', `configuration.copy path ${copy.path} does not exist`, {
          hint: `create it or remove it from configuration.copy in ${stack.file}`,
        });
      }
      copyPath(copy.absolute, join(handlerTarget, relative(root, copy.absolute)));
    }
    return { function: fn.name, dir, files: listFiles(dir) };
  });
}
