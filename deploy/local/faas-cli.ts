// faas-cli: taken from the PATH, or built from the Go module proxy into the cache. When the proxy
// refuses it, the refusal is remembered for a day so every `services up` does not ask again.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isCdnfaasError } from '../../lib/errors.ts';
import { faasCliPaths } from './layout.ts';
import { goFailureReason } from './log-tail.ts';
import { shouldRetryObtain } from './plan.ts';
import type { ProgressListener } from './progress.ts';
import { capture, findOnPath, runLogged } from './run-command.ts';
import { goInstallHint } from './influx-obtain.ts';

export const faasCliModule = 'github.com/openfaas/faas-cli';

export type FaasCliStatus =
  | { available: true; path: string; version: string; source: 'PATH' | 'cache' | 'built' }
  | { available: false; reason: string };

interface Refusal {
  reason: string;
  refusedAt: string;
}

type Env = Record<string, string | undefined>;

function readRefusal(file: string): Refusal | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Refusal;
  } catch {
    return undefined;
  }
}

async function versionOf(path: string, env: Env): Promise<string> {
  const output = await capture(path, ['version', '--short-version'], { env, timeoutMs: 10_000 });
  return output.stdout.trim().split('\n')[0] || 'unknown';
}

export interface FaasCliOptions {
  cacheDir: string;
  env?: Env;
  onProgress?: ProgressListener;
  /** false: only look (for `services status`); true: try to build it when missing. */
  obtain: boolean;
  now?: Date;
}

export async function locateFaasCli(options: FaasCliOptions): Promise<FaasCliStatus> {
  const env = options.env ?? process.env;
  const paths = faasCliPaths(options.cacheDir);
  const onPath = findOnPath('faas-cli', env);
  if (onPath) return { available: true, path: onPath, version: await versionOf(onPath, env), source: 'PATH' };
  if (existsSync(paths.binary))
    return {
      available: true,
      path: paths.binary,
      version: await versionOf(paths.binary, env),
      source: 'cache',
    };

  const refusal = readRefusal(paths.refusal);
  if (!options.obtain || !shouldRetryObtain(refusal?.refusedAt, options.now ?? new Date())) {
    return {
      available: false,
      reason: refusal?.reason ?? 'not on the PATH and not built yet (run `npx cdnfaas services up`)',
    };
  }

  options.onProgress?.({
    service: 'faas-cli',
    kind: 'step',
    message: `building faas-cli with go install ${faasCliModule}@latest`,
  });
  mkdirSync(paths.cache, { recursive: true });
  const scratch = `${paths.bin}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  try {
    await runLogged({
      command: 'go',
      args: ['install', `${faasCliModule}@latest`],
      cwd: paths.cache,
      env: { ...env, GOBIN: scratch },
      logFile: paths.obtainLog,
      what: 'building faas-cli',
      timeoutMs: 20 * 60_000,
      installHint: goInstallHint,
    });
  } catch (error) {
    const reason = isCdnfaasError(error, 'TOOL_MISSING')
      ? 'go is not installed, so faas-cli cannot be built'
      : goFailureReason(readFileSync(paths.obtainLog, 'utf8').split('\n').slice(2).join('\n'));
    writeFileSync(
      paths.refusal,
      `${JSON.stringify({ reason, refusedAt: (options.now ?? new Date()).toISOString() } satisfies Refusal, null, 2)}\n`,
    );
    return { available: false, reason };
  }
  rmSync(paths.bin, { recursive: true, force: true });
  renameSync(scratch, paths.bin);
  rmSync(paths.refusal, { force: true });
  const binary = join(paths.bin, basename(paths.binary));
  return { available: true, path: binary, version: await versionOf(binary, env), source: 'built' };
}
