// Native packages (a compiled .node addon, e.g. onnxruntime-node) cannot be bundled: they stay
// external imports, and the image carries a copy of them and their dependencies in its own
// node_modules, with only this platform's binaries, so that it runs without the project's
// node_modules. Used by image-folder.mjs for both image kinds; types in native-packages.d.mts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';

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
