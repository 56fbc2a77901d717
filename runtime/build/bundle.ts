import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build, type BuildOptions, type OutputFile } from 'esbuild';
import { CdnfaasError } from '../../lib/errors.ts';
import { nativeExternalsPlugin, type ExternalPackage } from './externals.ts';

/**
 * esbuild bundles of one function: the template's server as `index.mjs` (the image entrypoint)
 * and the handler with everything it imports as `function/handler.mjs`, which the server imports
 * once it listens. A template without a TypeScript handler (classic: the function is a program
 * run per call) gets the server bundle only. Two bundles rather than one so that the server answers health (503) while a
 * slow handler module (an ONNX session) is still loading, exactly as in the OpenFaaS container.
 */

/** Bundled CommonJS packages call require(); ESM output has none, so provide it. */
const requireBanner =
  "import { createRequire as __cdnfaasCreateRequire } from 'node:module';\nconst require = __cdnfaasCreateRequire(import.meta.url);";

export interface BundleInput {
  /** Paths in the bundles (source map sources, comments) are relative to this folder. */
  workingDir: string;
  /** The template folder holding index.ts. */
  templateDir: string;
  /** The handler module, e.g. functions/predict/handler.ts; none for the classic template. */
  handlerEntry?: string;
  /** Where the files go. */
  outDir: string;
}

export interface BundleResult {
  /** Files written, relative to outDir. */
  files: string[];
  /** Native packages the handler imports, which the image must carry. */
  externals: ExternalPackage[];
}

function commonOptions(workingDir: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    sourcesContent: false,
    absWorkingDir: workingDir,
    // A fixed virtual output folder keeps source map paths, and so the digest, independent of
    // where the staging folder happens to be.
    outdir: join(workingDir, '.cdnfaas-bundle'),
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
    // Less to parse at cold start; names stay, and stack traces map to the sources anyway.
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: requireBanner },
    metafile: false,
  };
}

function describeEsbuildFailure(what: string, error: unknown): CdnfaasError {
  const errors =
    (
      error as {
        errors?: { text: string; location?: { file: string; line: number; column: number } | null }[];
      }
    ).errors ?? [];
  const lines = errors.map((e) =>
    e.location ? `  ${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : `  ${e.text}`,
  );
  return new CdnfaasError('INVALID_INPUT', `bundling ${what} failed:\n${lines.join('\n') || String(error)}`, {
    hint: 'fix the import or syntax error named above (npx tsc --noEmit shows type errors too)',
    cause: error,
  });
}

function writeOutputs(outputs: OutputFile[], virtualDir: string, outDir: string): string[] {
  return outputs.map((output) => {
    const path = relative(virtualDir, output.path).split('\\').join('/');
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output.contents);
    return path;
  });
}

export async function bundleFunction(input: BundleInput): Promise<BundleResult> {
  const options = commonOptions(input.workingDir);
  const virtualDir = options.outdir!;
  const found = new Map<string, ExternalPackage>();
  let serverOutputs: OutputFile[];
  let handlerOutputs: OutputFile[];
  try {
    serverOutputs = (await build({ ...options, entryPoints: { index: join(input.templateDir, 'index.ts') } }))
      .outputFiles!;
  } catch (error) {
    throw describeEsbuildFailure(`the template server ${input.templateDir}`, error);
  }
  if (input.handlerEntry === undefined) {
    handlerOutputs = [];
  } else {
    try {
      const result = await build({
        ...options,
        entryPoints: { 'function/handler': input.handlerEntry },
        plugins: [nativeExternalsPlugin(found)],
      });
      handlerOutputs = result.outputFiles!;
    } catch (error) {
      throw describeEsbuildFailure(`the handler ${input.handlerEntry}`, error);
    }
  }
  const files = [
    ...writeOutputs(serverOutputs, virtualDir, input.outDir),
    ...writeOutputs(handlerOutputs, virtualDir, input.outDir),
  ];
  return { files: files.sort(), externals: [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}
