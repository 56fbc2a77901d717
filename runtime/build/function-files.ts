import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The files a TypeScript function ships (listExtraFiles) are chosen in
// template/node20-ts/image-folder.mjs, which the container build runs too. A classic function
// is a program: every file of its folder ships.

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
