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
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';

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

// --- native packages --------------------------------------------------------------------------

/** The package name of a bare import: `a/b` -> `a`, `@s/a/b` -> `@s/a`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Finds `node_modules/<name>` from `fromDir` upwards, as Node resolves packages. */
export function findPackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function containsAddon(dir, depth = 0) {
  if (depth > 6) return false;
  return readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.name === 'node_modules'
      ? false
      : entry.isFile()
        ? entry.name.endsWith('.node') || entry.name === 'binding.gyp'
        : entry.isDirectory() && containsAddon(join(dir, entry.name), depth + 1),
  );
}

const nativeCache = new Map();

/** A package with a compiled addon (onnxruntime-node): it cannot be bundled, the image carries it. */
export function isNativePackage(packageDir) {
  let native = nativeCache.get(packageDir);
  if (native === undefined) {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    native = manifest.gypfile === true || containsAddon(packageDir);
    nativeCache.set(packageDir, native);
  }
  return native;
}

/** An esbuild plugin that leaves native packages external and records which were imported. */
export function nativeExternalsPlugin(found) {
  return {
    name: 'cdnfaas-native-externals',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || args.importer === '') return undefined;
        const name = packageNameOf(args.path);
        const dir = findPackageDir(name, args.resolveDir);
        if (dir === undefined || !isNativePackage(dir)) return undefined;
        found.set(name, { name, dir });
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * The external packages and their runtime dependencies, placed as npm would: flat under the
 * image's node_modules, nested under the dependent when two versions of one name are needed.
 */
export function planPackages(
  roots,
  readManifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
  find = findPackageDir,
) {
  const placed = new Map(); // target -> sourceDir
  const flat = new Map(); // name -> sourceDir at the top level
  const plan = [];
  const queue = roots.map((root) => ({ name: root.name, sourceDir: root.dir, parentTarget: undefined }));
  while (queue.length > 0) {
    const { name, sourceDir, parentTarget } = queue.shift();
    const atTop = flat.get(name);
    if (atTop === sourceDir) continue;
    let target;
    if (atTop === undefined) {
      target = `node_modules/${name}`;
      flat.set(name, sourceDir);
    } else {
      target = `${parentTarget}/node_modules/${name}`;
      if (placed.get(target) === sourceDir) continue;
    }
    placed.set(target, sourceDir);
    plan.push({ name, sourceDir, target });
    const manifest = readManifest(sourceDir);
    const required = Object.keys(manifest.dependencies ?? {});
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    for (const dep of [...required, ...optional]) {
      const depDir = find(dep, sourceDir);
      if (depDir === undefined) {
        if (optional.includes(dep)) continue;
        throw new Error(`${name} depends on ${dep}, which is not installed (run npm install)`);
      }
      queue.push({ name: dep, sourceDir: depDir, parentTarget: target });
    }
  }
  return plan.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

// --- which files ship -------------------------------------------------------------------------

// Native packages ship prebuilt binaries for every platform (onnxruntime-node: 290 MB, of which
// linux/x64 is 45 MB); an image runs on the machine that built it.
const systems = new Set([
  'darwin',
  'win32',
  'linux',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'android',
]);
const architectures = new Set([
  'x64',
  'arm64',
  'arm',
  'ia32',
  'ppc64',
  's390x',
  'riscv64',
  'loong64',
  'mips',
  'mipsel',
]);

/** True when the path names a different OS, or this OS with a different CPU architecture. */
export function isForeignPlatformPath(path, platform, arch) {
  const tokens = path.split('/').flatMap((segment) => segment.split('-'));
  return tokens.some((token, i) => {
    if (!systems.has(token)) return false;
    if (token !== platform) return true;
    const next = tokens[i + 1];
    return next !== undefined && architectures.has(next) && next !== arch;
  });
}

const unneededSuffixes = ['.d.ts', '.d.mts', '.d.cts', '.map', '.ts.map'];

/** Whether a file of an external package (path relative to the package root) goes into the image. */
export function isRuntimeFile(path, platform, arch) {
  if (path.split('/').some((part) => part === 'node_modules' || part.startsWith('.'))) return false;
  if (unneededSuffixes.some((suffix) => path.endsWith(suffix))) return false;
  return !isForeignPlatformPath(path, platform, arch);
}

/** A package's runtime files for this platform, relative to its folder. */
export function listPackageFiles(packageDir, platform = process.platform, arch = process.arch, prefix = '') {
  const found = [];
  for (const entry of readdirSync(join(packageDir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && isRuntimeFile(`${path}/x`, platform, arch))
        found.push(...listPackageFiles(packageDir, platform, arch, path));
    } else if (entry.isFile() && isRuntimeFile(path, platform, arch)) {
      found.push(path);
    }
  }
  return found.sort();
}

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
