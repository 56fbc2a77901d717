/**
 * The real faas-cli for tests that drive it. On a developer machine without it those tests are
 * skipped, saying why; in CI (`CI=true`) they fail instead, so that a missing binary can never pass
 * as a green run. `.ci/run` puts ../shared/bin on PATH, where the project's machines keep it.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';
import { CdnfaasError } from '../../lib/errors.ts';

/** The first executable `faas-cli` on PATH, as a shell would find it. */
export function findOnPath(program: string, path: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, program);
    if (existsSync(candidate) && statSync(candidate).isFile() && (statSync(candidate).mode & 0o111) !== 0)
      return candidate;
  }
  return undefined;
}

/** True when the environment says this is a CI run (`CI=true`, as CI services set it, or `CI=1`). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

export const faasCli = findOnPath('faas-cli');

/** What a suite that needs faas-cli does here: run, fail (CI without it) or skip (no faas-cli). */
export function faasCliSuiteMode(found: string | undefined, ci: boolean): 'run' | 'fail' | 'skip' {
  if (found !== undefined) return 'run';
  return ci ? 'fail' : 'skip';
}

/**
 * `describe` for a suite that needs the real faas-cli. Without it: skipped with the reason in
 * the title, or, in CI, one failing test that says what is missing and how to provide it.
 */
export function describeWithFaasCli(title: string, suite: (faasCli: string) => void): void {
  switch (faasCliSuiteMode(faasCli, isCi())) {
    case 'run':
      describe(title, () => suite(faasCli!));
      return;
    case 'fail':
      describe(title, () => {
        it('needs faas-cli on PATH (CI=true: a missing faas-cli fails instead of skipping)', () => {
          throw new CdnfaasError('TOOL_MISSING', 'faas-cli is not on PATH', {
            hint: 'run the tests through .ci/run (it puts ../shared/bin on PATH), or install faas-cli (https://github.com/openfaas/faas-cli)',
          });
        });
      });
      return;
    case 'skip':
      describe.skip(`${title} (skipped: faas-cli is not on PATH)`, () => suite(''));
  }
}

/**
 * The environment for faas-cli in a test: its login kept under `dir`, never in the user's home or
 * the working folder. OPENFAAS_CONFIG is set explicitly because with CI=true faas-cli otherwise
 * keeps it in ./.openfaas of whatever folder it runs in.
 */
export function faasCliEnv(dir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, HOME: dir, OPENFAAS_CONFIG: join(dir, '.openfaas') };
}

export interface FaasCliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface FaasCliOptions {
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * Runs faas-cli without blocking the event loop. Tests run the gateway in their own process,
 * so a synchronous spawn would stop it from answering the very requests faas-cli makes (faas-cli
 * then times out, e.g. login's "context deadline exceeded").
 */
export function runFaasCli(
  binary: string,
  args: string[],
  options: FaasCliOptions = {},
): Promise<FaasCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** runFaasCli that fails with faas-cli's own output when it exits non-zero. */
export async function faasCliOk(
  binary: string,
  args: string[],
  options: FaasCliOptions = {},
): Promise<string> {
  const result = await runFaasCli(binary, args, options);
  if (result.status !== 0) {
    throw new Error(
      `faas-cli ${args.join(' ')} exited ${result.status}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
  return result.stdout;
}
