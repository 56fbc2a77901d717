import type { FunctionContext } from './function.ts';

/**
 * The handler's context object and how its outcome becomes an HTTP response. Follows the
 * OpenFaaS node template: status 200 unless set, `fail` turns a 200 into 500, objects and arrays
 * are sent as JSON, strings as text, Buffers as bytes; the first of succeed/fail wins.
 */

export interface Outcome {
  kind: 'succeed' | 'fail';
  value: unknown;
}

export class CallContext implements FunctionContext {
  statusCode = 200;
  headerValues: Record<string, string> = {};
  outcome: Outcome | undefined;
  private readonly onOutcome: (outcome: Outcome) => void;

  constructor(onOutcome: (outcome: Outcome) => void) {
    this.onOutcome = onOutcome;
  }

  status(code: number): FunctionContext {
    if (!Number.isInteger(code) || code < 100 || code > 599) {
      throw new TypeError(
        `context.status(${String(code)}): an HTTP status must be an integer from 100 to 599`,
      );
    }
    this.statusCode = code;
    return this;
  }

  headers(headers: Record<string, string>): FunctionContext {
    for (const [name, value] of Object.entries(headers))
      this.headerValues[name.toLowerCase()] = String(value);
    return this;
  }

  succeed(value: unknown): void {
    this.settle({ kind: 'succeed', value });
  }

  fail(value: unknown): void {
    if (this.outcome === undefined && this.statusCode === 200) this.statusCode = 500;
    this.settle({ kind: 'fail', value });
  }

  private settle(outcome: Outcome): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.onOutcome(outcome);
  }
}

export interface RenderedBody {
  body: Buffer | string;
  contentType: string | undefined;
}

const jsonType = 'application/json; charset=utf-8';

/** The one error body shape of cdnfaas: `{ code, message }`. */
export function errorBody(code: string, message: string): RenderedBody {
  return { body: JSON.stringify({ code, message }), contentType: jsonType };
}

/** A value the handler returned or passed to succeed/fail, as bytes and a content type. */
export function renderBody(value: unknown): RenderedBody {
  if (value === undefined || value === null) return { body: '', contentType: undefined };
  if (typeof value === 'string') return { body: value, contentType: 'text/plain; charset=utf-8' };
  if (Buffer.isBuffer(value)) return { body: value, contentType: 'application/octet-stream' };
  if (value instanceof Uint8Array) {
    return {
      body: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
      contentType: 'application/octet-stream',
    };
  }
  if (value instanceof Error) return errorBody(errorCode(value) ?? 'INTERNAL', value.message);
  return { body: JSON.stringify(value), contentType: jsonType };
}

/** An error's own HTTP status, when it carries one (as CdnfaasError does), else undefined. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : undefined;
}

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : undefined;
}
