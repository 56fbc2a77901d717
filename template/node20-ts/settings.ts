/**
 * The server's settings, read once from the environment. Names follow OpenFaaS: of-watchdog's
 * `exec_timeout` and `max_inflight`, the node template's `http_port` and `RAW_BODY`; the local
 * runtime's `PORT`, `CDNFAAS_FUNCTION` and `CDNFAAS_REPLICA` (runtime/images/types.ts) win when set.
 * This file has no imports beyond Node: the template must build on its own inside a container.
 */
export interface ServerSettings {
  port: number;
  /** Loopback by default: the local runtime and of-watchdog both call the server on 127.0.0.1. */
  host: string;
  functionName: string;
  replicaId: string;
  /** A call that has not answered after this long gets 504; 0 disables the limit. */
  execTimeoutMs: number;
  /** Calls beyond this many at once get 429; 0 means no limit. */
  maxInflight: number;
  /** Request bodies larger than this get 413. */
  maxBodyBytes: number;
  /** Hand the body to the handler as a Buffer whatever its content type. */
  rawBody: boolean;
}

type Env = Record<string, string | undefined>;

const durationUnits: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * A Go duration ("10s", "1m30s", "500ms", "1.5s") in milliseconds; a bare number is seconds,
 * as of-watchdog reads it. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed) return undefined;
  return parts.reduce((total, part) => total + Number(part[1]) * durationUnits[part[2]!]!, 0);
}

const byteUnits: Record<string, number> = {
  b: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  g: 1024 ** 3,
};

/** A size such as "100kb", "4mb", "1.5MB" or "2048" (bytes); undefined when it is not one. */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (match === null) return undefined;
  const unit = byteUnits[(match[2] || 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.floor(Number(match[1]) * unit);
}

function read<T>(
  env: Env,
  names: string[],
  fallback: T,
  parse: (text: string) => T | undefined,
  expected: string,
): T {
  for (const name of names) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = parse(text);
    if (value === undefined)
      throw new Error(`environment variable ${name}=${JSON.stringify(text)} is not ${expected}`);
    return value;
  }
  return fallback;
}

const nonNegativeInt = (text: string): number | undefined =>
  /^\d+$/.test(text.trim()) ? Number(text) : undefined;
const port = (text: string): number | undefined => {
  const value = nonNegativeInt(text);
  return value !== undefined && value <= 65535 ? value : undefined;
};

/** Reads the settings; throws an Error naming the variable that is malformed. */
export function readSettings(env: Env): ServerSettings {
  return {
    port: read(env, ['PORT', 'http_port'], 3000, port, 'a TCP port (0-65535)'),
    host: env.CDNFAAS_LISTEN_HOST || '127.0.0.1',
    functionName: env.CDNFAAS_FUNCTION || env.OPENFAAS_NAME || 'function',
    replicaId: env.CDNFAAS_REPLICA || env.HOSTNAME || String(process.pid),
    execTimeoutMs: read(env, ['exec_timeout'], 10_000, parseDuration, 'a duration such as 10s or 500ms'),
    maxInflight: read(env, ['max_inflight'], 0, nonNegativeInt, 'a whole number (0 = no limit)'),
    maxBodyBytes: read(
      env,
      ['max_body_size'],
      10 * 1024 * 1024,
      parseByteSize,
      'a size such as 512kb or 10mb',
    ),
    rawBody: (env.RAW_BODY ?? '').toLowerCase() === 'true',
  };
}
