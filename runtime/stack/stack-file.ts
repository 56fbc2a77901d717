import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CdnfaasError } from '../../lib/errors.ts';
import { parseImageReference } from '../images/reference.ts';
import { substituteEnvironment } from './envsubst.ts';
import { stackSchema, type RawStackFunction } from './schema.ts';

/** CPU and memory as OpenFaaS takes them (Kubernetes quantities). */
export interface FunctionResources {
  memory?: string;
  cpu?: string;
}

/** One function of a stack file, with paths resolved against the stack file's folder. */
export interface StackFunction {
  name: string;
  lang: string;
  /** Absolute path of the handler folder. */
  handler: string;
  /** The image as written in the stack file. */
  image: string;
  /** The normalised reference (`name:tag`, tag defaulting to latest). */
  imageRef: string;
  fprocess?: string;
  /** `environment`, over the files of `environment_file` (faas-cli's order: the inline map wins). */
  environment: Record<string, string>;
  /** Absolute paths of the `environment_file` entries. */
  environmentFiles: string[];
  secrets: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  limits?: FunctionResources;
  requests?: FunctionResources;
  buildArgs: Record<string, string>;
  buildOptions: string[];
  skipBuild: boolean;
  constraints: string[];
  readonlyRootFilesystem: boolean;
  namespace?: string;
}

export interface StackFile {
  /** Absolute path of the file, or `<inline>`. */
  file: string;
  /** The folder paths in the file are relative to. */
  dir: string;
  version?: string;
  provider: { name: string; gateway: string };
  /** Sorted by name. */
  functions: StackFunction[];
  /** `configuration.copy`: extra paths faas-cli copies into each build context. */
  copy: string[];
}

export interface ParseOptions {
  /** Shown in errors; relative paths in the file resolve against its folder. */
  file?: string;
  env?: Record<string, string | undefined>;
  /** Substitute ${VAR} like faas-cli (default true). */
  envsubst?: boolean;
  /** Reads an environment_file; tests pass a fake. */
  readEnvironmentFile?: (path: string) => Record<string, string>;
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const detail =
        issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
      return `  ${key}: ${detail}`;
    })
    .join('\n');
}

function toFunction(name: string, raw: RawStackFunction, dir: string, options: ParseOptions): StackFunction {
  const environmentFiles = raw.environment_file.map((path) => resolve(dir, path));
  const fromFiles = environmentFiles.map((path) =>
    (options.readEnvironmentFile ?? readEnvironmentFile)(path),
  );
  const fn: StackFunction = {
    name,
    lang: raw.lang,
    handler: resolve(dir, raw.handler),
    image: raw.image,
    imageRef: parseImageReference(raw.image).ref,
    environment: Object.assign({}, ...fromFiles, raw.environment),
    environmentFiles,
    secrets: raw.secrets,
    labels: raw.labels,
    annotations: raw.annotations,
    buildArgs: raw.build_args,
    buildOptions: raw.build_options,
    skipBuild: raw.skip_build,
    constraints: raw.constraints,
    readonlyRootFilesystem: raw.readonly_root_filesystem,
  };
  if (raw.fprocess !== undefined) fn.fprocess = raw.fprocess;
  if (raw.limits !== undefined) fn.limits = raw.limits;
  if (raw.requests !== undefined) fn.requests = raw.requests;
  if (raw.namespace !== undefined) fn.namespace = raw.namespace;
  return fn;
}

/** Parses stack file text; throws INVALID_INPUT naming every key that is wrong. */
export function parseStack(text: string, options: ParseOptions = {}): StackFile {
  const file = options.file === undefined ? '<inline>' : resolve(options.file);
  const dir = options.file === undefined ? process.cwd() : dirname(file);
  const source = options.envsubst === false ? text : substituteEnvironment(text, options.env ?? process.env);
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (error) {
    throw new CdnfaasError('INVALID_INPUT', `${file} is not valid YAML: ${(error as Error).message}`, {
      hint: 'fix the YAML syntax at the line named above',
      cause: error,
    });
  }
  const parsed = stackSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CdnfaasError(
      'INVALID_INPUT',
      `${file} is not a valid stack file:\n${describeIssues(parsed.error.issues)}`,
      {
        hint: 'fix the keys named above (the format is the OpenFaaS stack.yml: provider, functions.<name>.lang/handler/image/...)',
      },
    );
  }
  const stack = parsed.data;
  const result: StackFile = {
    file,
    dir,
    provider: { name: stack.provider.name, gateway: stack.provider.gateway },
    functions: Object.entries(stack.functions)
      .map(([name, raw]) => toFunction(name, raw, dir, options))
      .sort((a, b) => a.name.localeCompare(b.name)),
    copy: stack.configuration?.copy ?? [],
  };
  if (stack.version !== undefined) result.version = stack.version;
  return result;
}

function readEnvironmentFile(path: string): Record<string, string> {
  if (!existsSync(path)) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `environment_file ${path} does not exist`, {
      hint: 'create it (YAML with an `environment:` map) or remove it from the stack file',
    });
  }
  const parsed = parseYaml(readFileSync(path, 'utf8')) as { environment?: Record<string, unknown> } | null;
  const environment = parsed?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
}

/** Reads and parses a stack file from disk. */
export function loadStackFile(path: string, options: Omit<ParseOptions, 'file'> = {}): StackFile {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new CdnfaasError('CONFIG_NOT_FOUND', `stack file ${file} does not exist`, {
      hint: 'pass the right file with -f, e.g. -f stack.yml',
    });
  }
  return parseStack(readFileSync(file, 'utf8'), { ...options, file });
}

/** faas-cli's default: stack.yaml, else stack.yml, in the given folder. */
export function defaultStackFile(dir: string = process.cwd()): string {
  const yaml = join(dir, 'stack.yaml');
  return existsSync(yaml) ? yaml : join(dir, 'stack.yml');
}

/** Glob-like filter as faas-cli's --filter: `*` matches any run of characters. */
export function matchesFilter(name: string, filter: string | undefined): boolean {
  if (filter === undefined || filter === '') return true;
  const pattern = new RegExp(`^${filter.split('*').map(escapeRegExp).join('.*')}$`);
  return pattern.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
