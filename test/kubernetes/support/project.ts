import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../system/config.ts';
import { parseDockerfile, splitFlags } from '../../../runtime/build/dockerfile.ts';

/** What faas-cli needs in its working folder: the stack, the template and what handlers import. */
const projectParts = ['stack.yml', 'template', 'contracts', 'lib', 'ml', 'functions'];

/**
 * A copy of the project's build inputs in a temporary folder, with the given model as
 * functions/predict/model (the repository's own model folder is not in git).
 */
export function copyProject(modelDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdnfaas-shrinkwrap-'));
  for (const part of projectParts) {
    cpSync(join(projectRoot, part), join(dir, part), {
      recursive: true,
      filter: (source) => !source.includes('node_modules') && !source.endsWith(join('predict', 'model')),
    });
  }
  cpSync(modelDir, join(dir, 'functions', 'predict', 'model'), { recursive: true });
  return dir;
}

/** The defaults of a Dockerfile's ARG instructions. */
export function argDefaults(dockerfile: string): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const instruction of parseDockerfile(readFileSync(dockerfile, 'utf8'))) {
    if (instruction.keyword !== 'ARG') continue;
    const match = /^([A-Za-z_]\w*)=(?:"([^"]*)"|(\S*))$/.exec(instruction.args.trim());
    if (match !== null) defaults[match[1]!] = match[2] ?? match[3]!;
  }
  return defaults;
}

/**
 * Runs the build stage's bundle step of the Dockerfile in a copy of a build context, as
 * `RUN node bundle.mjs` does after `npm ci` (the project's node_modules stand in for that
 * install: the template's lockfile pins the same versions). Returns the context copy.
 */
export function runBuildStage(contextDir: string): string {
  const work = mkdtempSync(join(tmpdir(), 'cdnfaas-docker-build-'));
  cpSync(contextDir, work, { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules'), join(work, 'node_modules'), 'dir');
  const args = argDefaults(join(work, 'Dockerfile'));
  const run = parseDockerfile(readFileSync(join(work, 'Dockerfile'), 'utf8')).find(
    (instruction) => instruction.keyword === 'RUN' && instruction.args.includes('bundle.mjs'),
  );
  if (run === undefined) throw new Error('the Dockerfile has no RUN ... node bundle.mjs');
  execFileSync(process.execPath, ['bundle.mjs'], {
    cwd: work,
    env: { ...process.env, SHARED_PATHS: args.SHARED_PATHS, HANDLER_DIR: args.HANDLER_DIR },
    stdio: 'pipe',
  });
  return work;
}

export function contextSources(dockerfile: string): string[] {
  return parseDockerfile(readFileSync(dockerfile, 'utf8'))
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map((instruction) => splitFlags(instruction.args))
    .filter(({ flags }) => flags.from === undefined)
    .flatMap(({ words }) => words.slice(0, -1));
}

/** Starts `node index.mjs` in an image folder, as of-watchdog's fprocess does. */
export function startImage(dir: string, port: number): ChildProcess {
  return spawn(process.execPath, ['index.mjs'], {
    cwd: dir,
    env: { PATH: process.env.PATH, http_port: String(port), exec_timeout: '10s', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function waitForHealth(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the image's server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/_/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the image's server did not become healthy within ${timeoutMs} ms`);
}
