/**
 * The handler contract of the OpenFaaS node templates, typed. A function's handler.ts
 * default-exports a Handler; the template's server wraps it in HTTP.
 */

export interface FunctionEvent<Body = unknown> {
  /** Parsed JSON for JSON content types, a string for text, a Buffer otherwise. */
  body: Body;
  headers: Record<string, string | string[] | undefined>;
  method: string;
  query: Record<string, string | string[] | undefined>;
  /** The path after /function/<name>, starting with '/'. */
  path: string;
}

export interface FunctionContext {
  /** Sets the HTTP status of the response. */
  status(code: number): FunctionContext;
  /** Adds response headers. */
  headers(headers: Record<string, string>): FunctionContext;
  /** Ends the call with this body and the status set so far (default 200). */
  succeed(value: unknown): void;
  /** Ends the call with this body and status 500 unless another was set. */
  fail(value: unknown): void;
}

/** The returned value is the response body when the handler calls neither succeed nor fail. */
export type Handler<Body = unknown> = (
  event: FunctionEvent<Body>,
  context: FunctionContext,
) => unknown | Promise<unknown>;
