// Native packages (a compiled .node addon, e.g. onnxruntime-node) cannot be bundled: the
// handler bundle imports them, and the image carries them and their dependencies in
// dist/node_modules, with only this platform's binaries (as runtime/build does locally).
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';

export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function findPackageDir(name, fromDir) {
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

/** esbuild plugin: native packages stay external; `found` collects name -> package folder. */
export function nativeExternals(found) {
  return {
    name: 'native-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || args.importer === '') return undefined;
        const name = packageNameOf(args.path);
        const dir = findPackageDir(name, args.resolveDir);
        if (dir === undefined || !containsAddon(dir)) return undefined;
        found.set(name, dir);
        return { path: args.path, external: true };
      });
    },
  };
}

const systems = ['darwin', 'win32', 'linux', 'freebsd', 'openbsd', 'sunos', 'aix', 'android'];
const architectures = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64'];

/** Binaries for another OS, or this OS and another CPU, stay out (onnxruntime-node: bin/napi-v3/<os>/<arch>). */
function isForeign(path) {
  const tokens = path.split('/').flatMap((segment) => segment.split('-'));
  return tokens.some((token, i) => {
    if (!systems.includes(token)) return false;
    if (token !== process.platform) return true;
    const next = tokens[i + 1];
    return next !== undefined && architectures.includes(next) && next !== process.arch;
  });
}

/** Copies each package and its dependency closure to <outDir>/node_modules/<name>. */
export function copyPackages(packages, outDir) {
  const queue = [...packages.entries()];
  const done = new Set();
  while (queue.length > 0) {
    const [name, dir] = queue.shift();
    if (done.has(name)) continue;
    done.add(name);
    cpSync(dir, join(outDir, 'node_modules', name), {
      recursive: true,
      filter: (source) => {
        const rel = relative(dir, source).split('\\').join('/');
        const parts = rel.split('/');
        if (parts.includes('node_modules') || parts.some((part) => part.startsWith('.'))) return false;
        return !rel.endsWith('.d.ts') && !rel.endsWith('.map') && !isForeign(rel);
      },
    });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...optional]) {
      const depDir = findPackageDir(dep, dir);
      if (depDir !== undefined) queue.push([dep, depDir]);
      else if (!optional.includes(dep)) throw new Error(`${name} needs ${dep}, which npm ci did not install`);
    }
  }
  return [...done].sort();
}
