// Inside the container build, rebuilds the repository layout the handler's imports expect.
// faas-cli puts the template at the build context's root, the handler folder in function/ and
// every path of stack.yml's `configuration.copy` under function/ as well (function/lib,
// function/functions/shared, ...). A handler written in the repository imports
// ../../lib/logger.ts or ../../template/node20-ts/stage.ts, so this lays the parts out as they
// sit in the repository, under src/, before esbuild bundles them:
//   src/template/node20-ts/   the template files (context root)
//   src/<shared path>/        each shared path found under function/
//   src/<handler dir>/        the rest of function/: the handler folder itself
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the context root holds besides the template's own files. */
const notTemplate = new Set(['function', 'node_modules', 'src', 'dist', 'Dockerfile', '.dockerignore']);

/** `"contracts lib  functions/shared/"` -> ['contracts', 'lib', 'functions/shared'] */
export function parsePathList(text) {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((path) => path.replace(/^\.\/+/, '').replace(/\/+$/, ''))
    .filter((path) => path.length > 0);
}

/** Copies a tree, leaving out the relative paths `skip` names and folders left empty. */
function copyTree(from, to, skip, relative = '') {
  let copied = 0;
  for (const name of readdirSync(from)) {
    const rel = relative === '' ? name : `${relative}/${name}`;
    if (skip(rel)) continue;
    const source = join(from, name);
    if (statSync(source).isDirectory()) {
      copied += copyTree(source, join(to, name), skip, rel);
    } else {
      mkdirSync(to, { recursive: true });
      cpSync(source, join(to, name));
      copied += 1;
    }
  }
  return copied;
}

/**
 * Lays out `contextDir` under `srcDir`. Returns the handler folder and the shared paths found
 * and missing (a missing one only matters if the handler imports from it; the bundle error
 * then names it).
 */
export function layOutContext({ contextDir, srcDir, templateName, sharedPaths, handlerDir }) {
  const functionDir = join(contextDir, 'function');
  if (!existsSync(join(functionDir, 'handler.ts'))) {
    throw new Error(`${functionDir}/handler.ts is missing: the handler folder must hold handler.ts`);
  }
  copyTree(contextDir, join(srcDir, 'template', templateName), (rel) => notTemplate.has(rel));
  const found = [];
  const missing = [];
  for (const path of sharedPaths) {
    const source = join(functionDir, path);
    if (!existsSync(source)) {
      missing.push(path);
      continue;
    }
    cpSync(source, join(srcDir, path), { recursive: true });
    found.push(path);
  }
  // The handler folder: function/ without the shared paths copied into it (faas-cli also
  // leaves out entries named build and template).
  const handlerTarget = join(srcDir, handlerDir);
  copyTree(
    functionDir,
    handlerTarget,
    (rel) => sharedPaths.includes(rel) || rel === 'build' || rel === 'template' || rel === 'node_modules',
  );
  return { handlerDir: handlerTarget, found, missing };
}
