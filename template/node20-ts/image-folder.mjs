// A function's image folder, laid out once for both image kinds: the local build
// (runtime/build/build-function.ts, into the local image store) and the container build
// (bundle.mjs in the Dockerfile's build stage) both call buildImageFolder. It writes
//   index.mjs                 the template server (the entrypoint)
//   function/handler.mjs      the handler and everything it imports
//   function/<files>          the handler folder's other files (a model), not sources or tests
//   node_modules/<pkg>        native packages the handler imports, with their dependencies,
//                             with only this platform's binaries
// Plain JavaScript because the container's build stage runs it with node alone; the types are
// in image-folder.d.mts. Two bundles rather than one so that the server answers health (503)
// while a slow handler module (an ONNX session) is still loading.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { listPackageFiles, nativeExternalsPlugin, planPackages } from './native-packages.mjs';

/** Bundled CommonJS packages call require(); ESM output has none, so provide it. */
const requireBanner =
  "import { createRequire as __cdnfaasCreateRequire } from 'node:module';\nconst require = __cdnfaasCreateRequire(import.meta.url);";

/** A fixed virtual output folder keeps source map paths, and so the digest, independent of where the output goes. */
const virtualOutDir = '.cdnfaas-bundle';

function esbuildOptions(workingDir) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    sourcesContent: false,
    absWorkingDir: workingDir,
    outdir: join(workingDir, virtualOutDir),
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    // Less to parse at cold start; names stay, and stack traces map to the sources anyway.
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: requireBanner },
  };
}

/** An esbuild failure with what was being bundled; `errors` are esbuild's messages. */
export class BundleError extends Error {
  constructor(what, cause) {
    const errors = (cause?.errors ?? []).map((e) =>
      e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text,
    );
    super(`bundling ${what} failed:\n  ${errors.join('\n  ') || String(cause)}`, { cause });
    this.name = 'BundleError';
    this.what = what;
    this.errors = errors;
  }
}

/** A handler folder file named like a bundle output (function/handler.mjs). */
export class NameClashError extends Error {
  constructor(path) {
    super(`${path} has the name of a bundled file`);
    this.name = 'NameClashError';
    this.path = path;
  }
}

// --- which files ship -------------------------------------------------------------------------

// The files a function carries besides its bundled code: a model, a lookup table, anything its
// handler reads at run time from beside itself. Sources, tests and build metadata stay out; so
// do the folders faas-cli skips (build, template).
const skippedFolders = new Set(['node_modules', 'build', 'template', '__tests__', '__mocks__', 'coverage']);
const skippedFiles = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'Dockerfile']);
const sourceSuffixes = ['.ts', '.mts', '.cts', '.tsx'];

/** Whether a path relative to the handler folder is shipped with the function. */
export function isExtraFile(path) {
  const parts = path.split('/');
  const name = parts.at(-1);
  if (parts.some((part) => part.startsWith('.'))) return false;
  if (parts.slice(0, -1).some((part) => skippedFolders.has(part))) return false;
  if (skippedFiles.has(name) || /^tsconfig.*\.json$/.test(name)) return false;
  if (sourceSuffixes.some((suffix) => name.endsWith(suffix))) return false;
  return !/\.(test|spec)\.[^/]+$/.test(name);
}

/** The extra files of a handler folder, following symbolic links (a model folder may be one). */
export function listExtraFiles(handlerDir, prefix = '', depth = 0) {
  if (depth > 32) throw new Error(`${join(handlerDir, prefix)} is nested too deep (a symbolic link loop?)`);
  const found = [];
  for (const name of readdirSync(join(handlerDir, prefix))) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stat = statSync(join(handlerDir, path));
    if (stat.isDirectory()) {
      if (!name.startsWith('.') && !skippedFolders.has(name))
        found.push(...listExtraFiles(handlerDir, path, depth + 1));
    } else if (stat.isFile() && isExtraFile(path)) {
      found.push(path);
    }
  }
  return found.sort();
}

/** Copies files from `sourceDir` into `targetDir`, keeping relative paths. */
export function copyFiles(sourceDir, targetDir, paths) {
  for (const path of paths) {
    const target = join(targetDir, path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(sourceDir, path), target);
  }
}

// --- the folder -------------------------------------------------------------------------------

async function bundle(what, options) {
  try {
    return (await build(options)).outputFiles;
  } catch (error) {
    throw new BundleError(what, error);
  }
}

function writeOutputs(outputs, virtualDir, outDir) {
  return outputs.map((output) => {
    const path = relative(virtualDir, output.path).split('\\').join('/');
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.contents);
    return path;
  });
}

/**
 * Bundles the template server and the handler into outDir, copies the handler folder's extra
 * files beside the handler and the native packages it imports under node_modules.
 */
export async function buildImageFolder(input) {
  const options = esbuildOptions(input.workingDir);
  const found = new Map();
  const server = await bundle(`the template server ${input.serverEntry}`, {
    ...options,
    entryPoints: { index: input.serverEntry },
  });
  const handler =
    input.handlerEntry === undefined
      ? []
      : await bundle(`the handler ${input.handlerEntry}`, {
          ...options,
          entryPoints: { 'function/handler': input.handlerEntry },
          plugins: [nativeExternalsPlugin(found)],
        });
  const files = [
    ...writeOutputs(server, options.outdir, input.outDir),
    ...writeOutputs(handler, options.outdir, input.outDir),
  ];
  const clash = input.extras.find((path) => files.includes(`function/${path}`));
  if (clash !== undefined)
    throw new Error(`${join(input.handlerDir, clash)} has the name of a bundled file: rename it`);
  copyFiles(input.handlerDir, join(input.outDir, 'function'), input.extras);
  const externals = [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const packages = planPackages(externals);
  for (const placement of packages)
    copyFiles(
      placement.sourceDir,
      join(input.outDir, placement.target),
      listPackageFiles(placement.sourceDir),
    );
  return { bundles: files.sort(), externals, packages };
}
