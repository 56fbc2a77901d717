// Bundles a function inside the container build (Dockerfile), with the options the local build
// uses (runtime/build/bundle.ts): dist/index.mjs is the server, dist/function/handler.mjs the
// handler. The packages named in function/package.json stay external and are installed beside it.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
  banner: { js: banner },
  logLevel: 'warning',
};
const functionPackage = existsSync('function/package.json')
  ? JSON.parse(readFileSync('function/package.json', 'utf8'))
  : {};
const external = Object.keys(functionPackage.dependencies ?? {});

await build({ ...common, entryPoints: { index: 'index.ts' } });
await build({ ...common, entryPoints: { 'function/handler': 'function/handler.ts' }, external });

// The function's own files (a model, data), as the local build ships them: not sources or tests.
const skipped = (name) =>
  name.startsWith('.') ||
  ['node_modules', '__tests__', 'package.json', 'package-lock.json'].includes(name) ||
  /\.(ts|mts|cts|tsx)$/.test(name) ||
  /\.(test|spec)\./.test(name);
function copyExtras(from, to) {
  for (const name of readdirSync(from)) {
    if (skipped(name)) continue;
    const source = join(from, name);
    if (statSync(source).isDirectory()) copyExtras(source, join(to, name));
    else cpSync(source, join(to, name));
  }
}
copyExtras('function', 'dist/function');
if (existsSync('function/package.json')) cpSync('function/package.json', 'dist/function/package.json');
