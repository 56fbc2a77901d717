import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isRuntimeFile } from './platform.ts';

/**
 * The files a function carries besides its bundled code: a model, a lookup table, anything its
 * handler reads at run time from beside itself (`new URL('./model/model.onnx', import.meta.url)`).
 * Sources, tests and build metadata stay out; so do the folders faas-cli skips (build, template).
 */
const skippedFolders = new Set(['node_modules', 'build', 'template', '__tests__', '__mocks__', 'coverage']);
const skippedFiles = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'Dockerfile']);
const sourceSuffixes = ['.ts', '.mts', '.cts', '.tsx'];

/** Whether a path relative to the handler folder is shipped with the function. */
export function isExtraFile(path: string): boolean {
  const parts = path.split('/');
  const name = parts.at(-1)!;
  if (parts.some((part) => part.startsWith('.'))) return false;
  if (parts.slice(0, -1).some((part) => skippedFolders.has(part))) return false;
  if (skippedFiles.has(name) || /^tsconfig.*\.json$/.test(name)) return false;
  if (sourceSuffixes.some((suffix) => name.endsWith(suffix))) return false;
  return !/\.(test|spec)\.[^/]+$/.test(name);
}

/** Lists the extra files of a handler folder, following symbolic links (a model folder may be one). */
export function listExtraFiles(handlerDir: string, prefix = '', depth = 0): string[] {
  if (depth > 32) throw new Error(`${join(handlerDir, prefix)} is nested too deep (a symbolic link loop?)`);
  const found: string[] = [];
  for (const name of readdirSync(join(handlerDir, prefix))) {
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    const stat = statSync(join(handlerDir, relative));
    if (stat.isDirectory()) {
      if (!name.startsWith('.') && !skippedFolders.has(name))
        found.push(...listExtraFiles(handlerDir, relative, depth + 1));
    } else if (stat.isFile() && isExtraFile(relative)) {
      found.push(relative);
    }
  }
  return found.sort();
}

/** faas-cli leaves these out of the handler folder it copies into a build context. */
const faasCliSkippedFolders = new Set(['build', 'template']);

/**
 * Every file of a classic function's handler folder: there the files are the code (a script, a
 * binary, its data), so nothing is left out but dotfiles and the folders faas-cli skips.
 */
export function listHandlerFolderFiles(handlerDir: string, prefix = '', depth = 0): string[] {
  if (depth > 32) throw new Error(`${join(handlerDir, prefix)} is nested too deep (a symbolic link loop?)`);
  const found: string[] = [];
  for (const name of readdirSync(join(handlerDir, prefix))) {
    if (name.startsWith('.')) continue;
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    const stat = statSync(join(handlerDir, relative));
    if (stat.isDirectory()) {
      if (!(prefix === '' && faasCliSkippedFolders.has(name)))
        found.push(...listHandlerFolderFiles(handlerDir, relative, depth + 1));
    } else if (stat.isFile()) {
      found.push(relative);
    }
  }
  return found.sort();
}

/** Copies files from `sourceDir` into `targetDir`, keeping relative paths. */
export function copyFiles(sourceDir: string, targetDir: string, paths: string[]): void {
  for (const path of paths) {
    const target = join(targetDir, path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(sourceDir, path), target);
  }
}

/** Lists a package's runtime files for this platform (see platform.ts). */
export function listPackageFiles(
  packageDir: string,
  platform = process.platform,
  arch = process.arch,
  prefix = '',
): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(packageDir, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !isForeignDir(relative, platform, arch)) {
        found.push(...listPackageFiles(packageDir, platform, arch, relative));
      }
    } else if (entry.isFile() && isRuntimeFile(relative, platform, arch)) {
      found.push(relative);
    }
  }
  return found.sort();
}

function isForeignDir(path: string, platform: string, arch: string): boolean {
  return !isRuntimeFile(`${path}/x`, platform, arch);
}
