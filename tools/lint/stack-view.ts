import { parse as parseYaml } from 'yaml';
import { substituteEnvironment } from '../../runtime/stack/envsubst.ts';
import { stackSchema } from '../../runtime/stack/schema.ts';

/**
 * A lenient view of a stack file for linting: it reads whatever is there, the way faas-cli
 * would read it (environment substituted, YAML scalars in string maps turned into strings),
 * so that every rule can explain its own finding even when the strict parser would stop at
 * the first broken key. Structural problems come from the strict schema as `schemaIssues`.
 */

export interface LintFunction {
  name: string;
  lang?: string;
  handler?: string;
  image?: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  environment: Record<string, string>;
  secrets: string[];
}

export interface SchemaIssue {
  /** Dotted path, e.g. functions.predict.labels. */
  path: string;
  message: string;
}

export interface StackView {
  providerName?: string;
  version?: string;
  functions: LintFunction[];
  schemaIssues: SchemaIssue[];
}

type Raw = Record<string, unknown>;

const isMap = (value: unknown): value is Raw =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isMap(value)) return {};
  const entries = Object.entries(value).flatMap(([key, item]) => {
    const text = scalar(item);
    return text === undefined ? [] : [[key, text] as const];
  });
  return Object.fromEntries(entries);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap((item) => scalar(item) ?? []) : [];
}

function toFunction(name: string, raw: unknown): LintFunction {
  const fields = isMap(raw) ? raw : {};
  const fn: LintFunction = {
    name,
    labels: stringMap(fields.labels),
    annotations: stringMap(fields.annotations),
    environment: stringMap(fields.environment),
    secrets: stringList(fields.secrets),
  };
  for (const key of ['lang', 'handler', 'image', 'namespace'] as const) {
    const value = scalar(fields[key]);
    if (value !== undefined) fn[key] = value;
  }
  return fn;
}

function schemaIssues(raw: unknown): SchemaIssue[] {
  const parsed = stackSchema.safeParse(raw);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message,
  }));
}

/** Reads stack file text into a lint view; throws only when the text is not YAML at all. */
export function readStackView(text: string, env: Record<string, string | undefined>): StackView {
  const source = substituteEnvironment(text, env);
  const raw: unknown = parseYaml(source);
  // Scalars exactly as written (`version: 1.0` stays "1.0"), as Go's YAML decoder hands them to strings.
  const asWritten: unknown = parseYaml(source, { schema: 'failsafe' });
  const root = isMap(asWritten) ? asWritten : {};
  const provider = isMap(root.provider) ? root.provider : {};
  const functions = isMap(root.functions) ? root.functions : {};
  const view: StackView = {
    functions: Object.entries(functions).map(([name, value]) => toFunction(name, value)),
    schemaIssues: schemaIssues(raw),
  };
  const providerName = scalar(provider.name);
  const version = scalar(root.version);
  if (providerName !== undefined) view.providerName = providerName;
  if (version !== undefined) view.version = version;
  return view;
}
