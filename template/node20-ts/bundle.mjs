// The container build (Dockerfile, build stage): lays the build context out as the repository
// (context-layout.mjs) and lays the image folder out in dist/ with image-folder.mjs, the code the
// local build (runtime/build) uses too:
//   dist/index.mjs                the template server (the entrypoint)
//   dist/function/handler.mjs     the handler and everything it imports
//   dist/function/<files>         the handler folder's other files (a model), not sources or tests
//   dist/node_modules/<pkg>       native packages the handler imports, with their dependencies
// Settings (Dockerfile ARGs): SHARED_PATHS, the paths stack.yml's configuration.copy puts under
// function/; HANDLER_DIR, where the handler folder sits in the repository layout.
import console from 'node:console';
import process from 'node:process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { layOutContext, parsePathList } from './context-layout.mjs';
import { buildImageFolder, listExtraFiles } from './image-folder.mjs';

const templateName = 'node20-ts';
const sharedPaths = parsePathList(process.env.SHARED_PATHS);
const handlerDir = process.env.HANDLER_DIR || 'functions/handler';

rmSync('src', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
const layout = layOutContext({ contextDir: '.', srcDir: 'src', templateName, sharedPaths, handlerDir });
console.log(
  JSON.stringify({ msg: 'context laid out', handlerDir, shared: layout.found, missing: layout.missing }),
);

try {
  const folder = await buildImageFolder({
    workingDir: process.cwd(),
    serverEntry: join('src', 'template', templateName, 'index.ts'),
    handlerEntry: join(layout.handlerDir, 'handler.ts'),
    handlerDir: layout.handlerDir,
    extras: listExtraFiles(layout.handlerDir),
    outDir: 'dist',
  });
  console.log(JSON.stringify({ msg: 'bundled', nativePackages: folder.packages.map((p) => p.target) }));
} catch (error) {
  const hint =
    layout.missing.length > 0
      ? `these SHARED_PATHS are not in the build context: ${layout.missing.join(', ')}; list them under configuration.copy in stack.yml`
      : 'an import outside the handler folder must be under a path listed in configuration.copy (stack.yml) and in SHARED_PATHS (Dockerfile)';
  console.error(JSON.stringify({ msg: 'bundle failed', error: error.message, hint }));
  throw error;
}
