// The container build (Dockerfile, build stage): lays the build context out as the repository
// (context-layout.mjs), bundles the server and the handler with the options the local build
// uses (runtime/build/bundle.ts), and writes what the image ships to dist/:
//   dist/index.mjs                the template server (the entrypoint)
//   dist/function/handler.mjs     the handler and everything it imports
//   dist/function/<files>         the handler folder's other files (a model), not sources or tests
//   dist/node_modules/<pkg>       native packages the handler imports, with their dependencies
// Settings (Dockerfile ARGs): SHARED_PATHS, the paths stack.yml's configuration.copy puts under
// function/; HANDLER_DIR, where the handler folder sits in the repository layout.
import { build } from 'esbuild';
import console from 'node:console';
import process from 'node:process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { layOutContext, parsePathList } from './context-layout.mjs';
import { copyPackages, nativeExternals } from './native-packages.mjs';

const templateName = 'node20-ts';
const sharedPaths = parsePathList(process.env.SHARED_PATHS);
const handlerDir = process.env.HANDLER_DIR || 'functions/handler';

const banner =
  "import { createRequire as __cdnfaasCreateRequire } from 'node:module';\nconst require = __cdnfaasCreateRequire(import.meta.url);";
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  sourcesContent: false,
  outdir: 'dist',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  banner: { js: banner },
  logLevel: 'error',
};

// The function's own files, as the local build ships them: not sources, tests or manifests.
const skipped = (name) =>
  name.startsWith('.') ||
  ['node_modules', '__tests__', 'package.json', 'package-lock.json'].includes(name) ||
  /^tsconfig.*\.json$/.test(name) ||
  /\.(ts|mts|cts|tsx)$/.test(name) ||
  /\.(test|spec)\./.test(name);
function copyExtras(from, to) {
  for (const name of readdirSync(from)) {
    if (skipped(name)) continue;
    const source = join(from, name);
    if (statSync(source).isDirectory()) copyExtras(source, join(to, name));
    else {
      mkdirSync(to, { recursive: true });
      cpSync(source, join(to, name));
    }
  }
}

rmSync('src', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
const layout = layOutContext({ contextDir: '.', srcDir: 'src', templateName, sharedPaths, handlerDir });
console.log(
  JSON.stringify({ msg: 'context laid out', handlerDir, shared: layout.found, missing: layout.missing }),
);

const natives = new Map();
try {
  await build({ ...common, entryPoints: { index: join('src', 'template', templateName, 'index.ts') } });
  await build({
    ...common,
    entryPoints: { 'function/handler': join(layout.handlerDir, 'handler.ts') },
    plugins: [nativeExternals(natives)],
  });
} catch (error) {
  const hint =
    layout.missing.length > 0
      ? `these SHARED_PATHS are not in the build context: ${layout.missing.join(', ')}; list them under configuration.copy in stack.yml`
      : 'an import outside the handler folder must be under a path listed in configuration.copy (stack.yml) and in SHARED_PATHS (Dockerfile)';
  console.error(JSON.stringify({ msg: 'bundle failed', hint }));
  throw error;
}
copyExtras(layout.handlerDir, join('dist', 'function'));
const packages = copyPackages(natives, 'dist');
console.log(JSON.stringify({ msg: 'bundled', nativePackages: packages }));
