/**
 * One registry of error codes for every part of cdnfaas. Each code has a stable name and the
 * HTTP status it maps to at an HTTP edge. Callers classify errors with `instanceof CdnfaasError`
 * and `error.code`, never by message text. Whether to retry is decided from that status where
 * the error crosses HTTP (the connector retries 5xx and 429, and rejects a record on other 4xx),
 * so the registry carries no retry flag of its own that could disagree with it.
 */
export const errorCodes = {
  CONFIG_INVALID: { status: 500, summary: 'a configuration value is missing or malformed' },
  CONFIG_NOT_FOUND: { status: 500, summary: 'a configuration file does not exist' },
  PORT_IN_USE: { status: 500, summary: 'a TCP port a service needs is taken' },
  SERVICE_UNHEALTHY: { status: 503, summary: 'a service did not become healthy in time' },
  SERVICE_UNREACHABLE: { status: 503, summary: 'a service does not answer at its address' },
  OBTAIN_FAILED: { status: 500, summary: 'downloading or building a service failed' },
  TOOL_MISSING: { status: 500, summary: 'a program cdnfaas needs is not installed' },
  INVALID_INPUT: { status: 400, summary: 'input does not match its schema' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'a request body exceeds the limit' },
  UNAUTHORIZED: { status: 401, summary: 'credentials are missing or wrong' },
  NOT_FOUND: { status: 404, summary: 'the named resource does not exist' },
  CONFLICT: { status: 409, summary: 'the resource exists with different content' },
  TOO_MANY_REQUESTS: { status: 429, summary: 'the function is at its concurrency limit' },
  TIMEOUT: { status: 504, summary: 'an operation exceeded its deadline' },
  UPSTREAM_FAILED: { status: 502, summary: 'a downstream service answered with an error' },
  INTERNAL: { status: 500, summary: 'an unexpected fault inside cdnfaas' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorDetails {
  /** What the user can do about it, e.g. the command to run. */
  hint?: string;
  /** Structured facts for logs and error bodies; never secrets. */
  context?: Record<string, unknown>;
  cause?: unknown;
}

export class CdnfaasError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string | undefined;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CdnfaasError';
    this.code = code;
    this.status = errorCodes[code].status;
    this.hint = details.hint;
    this.context = details.context ?? {};
  }

  /** The one error body shape every HTTP edge answers with. */
  toJSON(): { code: ErrorCode; message: string; hint?: string } {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }

  /** A one-paragraph message for a terminal: what, and what to do. */
  describe(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  -> ${this.hint}`;
  }
}

export function isCdnfaasError(error: unknown, code?: ErrorCode): error is CdnfaasError {
  return error instanceof CdnfaasError && (code === undefined || error.code === code);
}
