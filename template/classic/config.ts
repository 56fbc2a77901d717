import { CdnfaasError } from '../../lib/errors.ts';
import { parseDuration } from '../node20-ts/settings.ts';
import { splitFprocess } from './fprocess.ts';

/**
 * The watchdog's settings, read from the environment with the classic watchdog's names and
 * defaults (readconfig.go); the local runtime's PORT, CDNFAAS_FUNCTION and CDNFAAS_REPLICA win
 * where they apply, as in the node20-ts template.
 */
export interface WatchdogConfig {
  /** `fprocess` as set, for log lines. */
  fprocess: string;
  /** `fprocess` split into program and arguments. */
  argv: string[];
  port: number;
  host: string;
  functionName: string;
  replicaId: string;
  /** Whole request received within this long, else the connection is dropped; 0 = no limit. */
  readTimeoutMs: number;
  /** Answer written within this long after the request arrived, else the connection is dropped; 0 = no limit. */
  writeTimeoutMs: number;
  /** The process is killed and the call answered 408 after this long; 0 = no limit (the classic default). */
  execTimeoutMs: number;
  healthcheckIntervalMs: number;
  /** Log the output of successful calls and the details of failed ones. */
  writeDebug: boolean;
  /** Request headers, method, path and query as Http_* variables. */
  cgiHeaders: boolean;
  /** stderr in the response beside stdout (the classic default); stderr is logged either way. */
  combineOutput: boolean;
  /** Content-Type of every response; empty = the caller's Content-Type. */
  contentType: string;
  /** Calls beyond this many at once get 429; 0 = no limit. */
  maxInflight: number;
  /** Log the headers of every request and response. */
  debugHeaders: boolean;
  /** Settings the classic watchdog reads and this one does not honour; named in a warning at start. */
  unsupported: string[];
}

type Env = Record<string, string | undefined>;

const defaultTimeoutMs = 30_000;

/**
 * readconfig.go's parseIntOrDurationValue: a whole number is seconds, otherwise a Go duration
 * with units ("500ms", "1m30s"); anything else, or nothing, is the fallback.
 */
export function readTimeoutSetting(text: string | undefined, fallbackMs: number): number {
  if (text === undefined || text === '') return fallbackMs;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-zµ]/i.test(text)) return fallbackMs;
  return parseDuration(text) ?? fallbackMs;
}

/** readconfig.go's parseBoolValue: only "true" is true; an unset or empty value keeps the default. */
export function readBoolSetting(text: string | undefined, fallback: boolean): boolean {
  if (text === undefined || text === '') return fallback;
  return text === 'true';
}

function readCount(text: string | undefined, fallback: number): number {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : fallback;
}

/** Reads the settings; CONFIG_INVALID when fprocess is missing or cannot be split. */
export function readWatchdogConfig(env: Env): WatchdogConfig {
  const fprocess = env.fprocess ?? '';
  if (fprocess.trim() === '') {
    // The classic watchdog's own words, so its users recognise the failure.
    throw new CdnfaasError('CONFIG_INVALID', 'Provide a valid process via fprocess environmental variable.', {
      hint: 'deploy with --env fprocess=<command> (or --fprocess, or fprocess: in stack.yml), e.g. fprocess=cat',
    });
  }
  const writeTimeoutMs = readTimeoutSetting(env.write_timeout, defaultTimeoutMs);
  const port = readCount(env.PORT || env.port, 8080);
  if (port > 65535) {
    throw new CdnfaasError('CONFIG_INVALID', `port ${port} is not a TCP port`, {
      hint: 'set PORT (or port) to a number from 0 to 65535',
    });
  }
  return {
    fprocess,
    argv: splitFprocess(fprocess),
    port,
    host: env.CDNFAAS_LISTEN_HOST || '127.0.0.1',
    functionName: env.CDNFAAS_FUNCTION || env.OPENFAAS_NAME || 'function',
    replicaId: env.CDNFAAS_REPLICA || env.HOSTNAME || String(process.pid),
    readTimeoutMs: readTimeoutSetting(env.read_timeout, defaultTimeoutMs),
    writeTimeoutMs,
    execTimeoutMs: readTimeoutSetting(env.exec_timeout, 0),
    healthcheckIntervalMs: readTimeoutSetting(env.healthcheck_interval, writeTimeoutMs),
    writeDebug: readBoolSetting(env.write_debug, false),
    cgiHeaders: readBoolSetting(env.cgi_headers, true),
    combineOutput: readBoolSetting(env.combine_output, true),
    contentType: env.content_type ?? '',
    maxInflight: readCount(env.max_inflight, 0),
    debugHeaders: readBoolSetting(env.debug_headers, false),
    unsupported: ['marshal_request', 'jwt_auth'].filter((name) => readBoolSetting(env[name], false)),
  };
}

/** Go's time.Duration formatting for the start-up line ("30s", "1m30s", "500ms", "0s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  return `${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${seconds}s`;
}
