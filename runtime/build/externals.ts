import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * Native packages (a compiled `.node` addon, e.g. onnxruntime-node) cannot be bundled: they stay
 * external imports, and the image carries a copy of them and their dependencies in its own
 * node_modules, so that it runs without the project's node_modules and no later `npm install`
 * changes it.
 */

/** The package name of a bare import: `a/b` -> `a`, `@s/a/b` -> `@s/a`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Finds `node_modules/<name>` from `fromDir` upwards, as Node resolves packages. */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function containsAddon(dir: string, depth = 0): boolean {
  if (depth > 6) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    if (entry.isFile() && (entry.name.endsWith('.node') || entry.name === 'binding.gyp')) return true;
    if (entry.isDirectory() && containsAddon(join(dir, entry.name), depth + 1)) return true;
  }
  return false;
}

const nativeCache = new Map<string, boolean>();

export function isNativePackage(packageDir: string): boolean {
  let native = nativeCache.get(packageDir);
  if (native === undefined) {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      gypfile?: boolean;
    };
    native = manifest.gypfile === true || containsAddon(packageDir);
    nativeCache.set(packageDir, native);
  }
  return native;
}

export interface ExternalPackage {
  name: string;
  dir: string;
}

/** An esbuild plugin that leaves native packages external and records which were imported. */
export function nativeExternalsPlugin(found: Map<string, ExternalPackage>): Plugin {
  return {
    name: 'cdnfaas-native-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
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

export interface PackagePlacement {
  name: string;
  sourceDir: string;
  /** Where it goes inside the image, e.g. `node_modules/onnxruntime-node`. */
  target: string;
}

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The external packages and their runtime dependencies, placed as npm would: flat under the
 * image's node_modules, nested under the dependent when two versions of one name are needed.
 */
export function planPackages(
  roots: ExternalPackage[],
  readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson,
  find = findPackageDir,
): PackagePlacement[] {
  const placed = new Map<string, string>(); // target -> sourceDir
  const flat = new Map<string, string>(); // name -> sourceDir at the top level
  const plan: PackagePlacement[] = [];
  const queue: { name: string; sourceDir: string; parentTarget: string | undefined }[] = roots.map(
    (root) => ({
      name: root.name,
      sourceDir: root.dir,
      parentTarget: undefined,
    }),
  );
  while (queue.length > 0) {
    const { name, sourceDir, parentTarget } = queue.shift()!;
    const topTarget = `node_modules/${name}`;
    let target: string;
    const atTop = flat.get(name);
    if (atTop === sourceDir) continue;
    if (atTop === undefined) {
      target = topTarget;
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
