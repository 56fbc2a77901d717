import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';

/**
 * Which stack file and function a `docker build` from faas-cli belongs to. faas-cli runs it in
 * <its cwd>/build/<function>, a copy of the handler folder inside the template; the shim builds
 * from the real sources instead (the handler's relative imports of shared code only resolve
 * there, and the digest then equals that of `npx cdnfaas build`), so it needs the stack file:
 *   1. CDNFAAS_STACK_FILE, when set;
 *   2. faas-cli's own -f/--yaml, read from the parent process's command line;
 *   3. faas-cli's default, stack.yaml or stack.yml in its working folder.
 */
export interface StackLocation {
  stackFile: string;
  functionName: string;
  /** How the stack file was found, for the build log. */
  source: 'CDNFAAS_STACK_FILE' | 'faas-cli -f' | 'default';
}

export interface LocateInput {
  /** Absolute path of the build context. */
  contextDir: string;
  env: Record<string, string | undefined>;
  /** The parent process's argv and working folder, when known. */
  parent?: { argv: string[]; cwd: string };
  exists: (path: string) => boolean;
}

/** The -f/--yaml value of a faas-cli command line, or undefined when it is not faas-cli or has none. */
export function faasCliStackArg(argv: string[]): string | undefined {
  const start = argv.findIndex((arg) => /^faas(-cli)?(\.exe)?$/.test(basename(arg)));
  if (start < 0) return undefined;
  const args = argv.slice(start + 1);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-f' || arg === '--yaml') return args[i + 1];
    if (arg.startsWith('--yaml=')) return arg.slice('--yaml='.length);
    if (arg.startsWith('-f=')) return arg.slice(3);
    if (arg.startsWith('-f') && !arg.startsWith('--') && arg.length > 2) return arg.slice(2);
  }
  return undefined;
}

export function locateStack(input: LocateInput): StackLocation {
  const functionName = basename(input.contextDir);
  // faas-cli's build context is ./build/<fn> under the folder it runs in.
  const faasCliDir =
    basename(dirname(input.contextDir)) === 'build' ? dirname(dirname(input.contextDir)) : input.contextDir;
  const fromEnv = input.env.CDNFAAS_STACK_FILE;
  if (fromEnv) return { stackFile: resolve(faasCliDir, fromEnv), functionName, source: 'CDNFAAS_STACK_FILE' };
  const fromArgs = input.parent === undefined ? undefined : faasCliStackArg(input.parent.argv);
  if (fromArgs !== undefined) {
    if (/^https?:\/\//.test(fromArgs)) {
      throw new CdnfaasError(
        'INVALID_INPUT',
        `cdnfaas docker shim: faas-cli reads its stack from a URL (${fromArgs}); the local build needs the sources`,
        {
          hint: 'run faas-cli with a local stack file, or set CDNFAAS_STACK_FILE',
        },
      );
    }
    return {
      stackFile: isAbsolute(fromArgs) ? fromArgs : resolve(input.parent!.cwd, fromArgs),
      functionName,
      source: 'faas-cli -f',
    };
  }
  const cwd = input.parent?.cwd ?? faasCliDir;
  for (const candidate of [
    join(cwd, 'stack.yaml'),
    join(cwd, 'stack.yml'),
    join(faasCliDir, 'stack.yaml'),
    join(faasCliDir, 'stack.yml'),
  ]) {
    if (input.exists(candidate)) return { stackFile: candidate, functionName, source: 'default' };
  }
  throw new CdnfaasError(
    'CONFIG_NOT_FOUND',
    `cdnfaas docker shim: cannot tell which stack file the build of ${functionName} comes from`,
    {
      hint: 'run faas-cli with -f stack.yml from the project folder, or set CDNFAAS_STACK_FILE=<path of the stack file>',
    },
  );
}
