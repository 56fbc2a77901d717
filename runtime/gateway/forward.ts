/**
 * Forwarding a call to a replica: the request as it came (method, sub-path, query, headers, body),
 * over a keep-alive pool, the response streamed back. A call that never reached its replica (the
 * replica had just died) is retried on another one; a call that did reach it is never repeated.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { FunctionProvider, InvokeTarget } from '../provider/types.ts';

export interface ForwardLimits {
  /** Largest request body accepted for a function, bytes (413 beyond). */
  maxBodyBytes: number;
  /** Bodies up to this size are read first, so a call can be retried on another replica. */
  bufferBodyBytes: number;
  /** How long a call waits for a ready replica (cold start, scale from zero), ms. */
  readyTimeoutMs: number;
  /** Deadline for a replica's response headers and for each gap in its body, ms. */
  upstreamTimeoutMs: number;
}

export type RequestBody = Buffer | Readable | undefined;

export interface ForwardCall {
  name: string;
  method: string;
  /** Path after /function/<name>, starting with '/'. */
  path: string;
  /** Raw query string without '?', possibly empty. */
  query: string;
  headers: IncomingHttpHeaders;
  body: RequestBody;
  callId: string;
  startTime: string;
  remoteAddress: string | undefined;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: OutgoingHttpHeaders;
}

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'http2-settings',
]);
/** undici errors raised before the request was written: safe to send elsewhere. */
const notDeliveredCodes = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
]);
const maxAttempts = 3;

function payloadTooLarge(limit: number): CdnfaasError {
  return new CdnfaasError(
    'PAYLOAD_TOO_LARGE',
    `the request body exceeds the gateway limit of ${limit} bytes`,
    {
      hint: 'send a smaller body, or split the batch',
      context: { limit },
    },
  );
}

/** Reads at most `limit` bytes; PAYLOAD_TOO_LARGE beyond. */
export async function readBody(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw payloadTooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The body of an incoming call: none, read into memory (small, retriable), or streamed with a byte limit. */
export async function prepareBody(raw: IncomingMessage, limits: ForwardLimits): Promise<RequestBody> {
  const length = raw.headers['content-length'];
  const chunked = raw.headers['transfer-encoding'] !== undefined;
  if (length === undefined && !chunked) return undefined;
  if (length !== undefined) {
    const size = Number(length);
    if (size > limits.maxBodyBytes) throw payloadTooLarge(limits.maxBodyBytes);
    if (size === 0) return undefined;
    if (size <= limits.bufferBodyBytes) return readBody(raw, limits.maxBodyBytes);
  }
  let size = 0;
  return raw.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        callback(size > limits.maxBodyBytes ? payloadTooLarge(limits.maxBodyBytes) : null, chunk);
      },
    }),
  );
}

export function upstreamHeaders(call: ForwardCall): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const key in call.headers) {
    const value = call.headers[key];
    if (value !== undefined && !hopByHop.has(key)) headers[key] = value;
  }
  if (call.body === undefined) delete headers['content-length'];
  if (headers['x-forwarded-host'] === undefined && call.headers.host !== undefined)
    headers['x-forwarded-host'] = call.headers.host;
  if (headers['x-forwarded-for'] === undefined && call.remoteAddress !== undefined)
    headers['x-forwarded-for'] = call.remoteAddress;
  headers['x-call-id'] = call.callId;
  headers['x-start-time'] = call.startTime;
  return headers;
}

/** Response headers for the caller: the replica's minus hop-by-hop, with OpenFaaS's content type fallback. */
export function downstreamHeaders(
  call: ForwardCall,
  upstream: Record<string, string | string[] | undefined>,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const key in upstream) {
    const value = upstream[key];
    if (value !== undefined && !hopByHop.has(key)) headers[key] = value;
  }
  headers['content-type'] ??= call.headers['content-type'] ?? 'text/plain';
  headers['x-call-id'] = call.callId;
  headers['x-start-time'] = call.startTime;
  return headers;
}

/** Errors of the connection itself (not of the call): the replica may be gone. */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function connectionFailure(error: unknown): boolean {
  return connectionCodes.has((error as { code?: string }).code ?? '');
}

function notDelivered(error: unknown): boolean {
  return notDeliveredCodes.has((error as { code?: string }).code ?? '');
}

/** A signal that fires when the caller hangs up before its answer is complete. */
function signalOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', onClose);
  res.once('finish', () => res.off('close', onClose));
  return controller.signal;
}

/** A ready replica at once, or after waiting for one; `signal` is made only when waiting (it costs). */
async function acquire(
  provider: FunctionProvider,
  name: string,
  limits: ForwardLimits,
  signal: AbortSignal | (() => AbortSignal) | undefined,
): Promise<InvokeTarget> {
  const ready = provider.tryAcquire(name);
  if (ready !== undefined) return ready;
  const abort = typeof signal === 'function' ? signal() : signal;
  return provider.acquire(
    name,
    abort === undefined
      ? { timeoutMs: limits.readyTimeoutMs }
      : { timeoutMs: limits.readyTimeoutMs, signal: abort },
  );
}

/** Runs `attempt` on a ready replica; retries on another replica while the call was not delivered and can be replayed. */
export async function onReplica<T>(
  provider: FunctionProvider,
  call: ForwardCall,
  limits: ForwardLimits,
  signal: AbortSignal | (() => AbortSignal) | undefined,
  attempt: (target: InvokeTarget) => Promise<T>,
): Promise<T> {
  const replayable = call.body === undefined || Buffer.isBuffer(call.body);
  let made: AbortSignal | undefined;
  const waitSignal = typeof signal === 'function' ? () => (made ??= signal()) : signal;
  const aborted = (): boolean => (typeof signal === 'function' ? made : signal)?.aborted === true;
  for (let tries = 1; ; tries++) {
    const target = await acquire(provider, call.name, limits, waitSignal);
    try {
      return await attempt(target);
    } catch (error) {
      if (connectionFailure(error)) target.reportFailure();
      const retry = replayable && tries < maxAttempts && notDelivered(error) && !aborted();
      if (!retry) throw error;
    } finally {
      target.release();
    }
  }
}

/** A failure talking to the replica, as the caller sees it. */
export function upstreamError(call: ForwardCall, error: unknown): CdnfaasError {
  if (isCdnfaasError(error)) return error;
  const code = (error as { code?: string }).code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new CdnfaasError('TIMEOUT', `function ${call.name} did not answer in time`, {
      cause: error,
      context: { function: call.name },
    });
  }
  return new CdnfaasError(
    'UPSTREAM_FAILED',
    `the replica of ${call.name} failed while answering: ${(error as Error).message}`,
    {
      hint: `see its logs with: faas-cli logs ${call.name} --tail=false`,
      cause: error,
      context: { function: call.name, code },
    },
  );
}

/**
 * One attempt: the call to the replica through undici's dispatch API, its answer written straight
 * into `res` with backpressure. Cheaper than stream(): no AbortController, no intermediate Writable.
 */
function dispatchToResponse(
  target: InvokeTarget,
  call: ForwardCall,
  limits: ForwardLimits,
  res: ServerResponse,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let controller: { abort(reason: Error): void; pause(): void; resume(): void } | undefined;
    let status = 0;
    const clientGone = new Error('the caller closed the connection');
    const onClose = (): void => {
      if (!res.writableFinished) controller?.abort(clientGone);
    };
    res.once('close', onClose);
    const settle = (error?: Error): void => {
      res.off('close', onClose);
      if (error === undefined) resolve(status);
      else reject(error);
    };
    try {
      target.dispatcher.dispatch(
        {
          path: call.query.length > 0 ? `${call.path}?${call.query}` : call.path,
          method: call.method as 'GET',
          headers: upstreamHeaders(call),
          body: call.body ?? null,
          headersTimeout: limits.upstreamTimeoutMs,
          bodyTimeout: limits.upstreamTimeoutMs,
        },
        {
          onRequestStart(dispatchController) {
            controller = dispatchController;
            if (res.destroyed) dispatchController.abort(clientGone);
          },
          onResponseStart(dispatchController, statusCode, headers) {
            status = statusCode;
            res.writeHead(
              statusCode,
              downstreamHeaders(call, headers as Record<string, string | string[] | undefined>),
            );
          },
          onResponseData(dispatchController, chunk) {
            if (!res.write(chunk)) {
              dispatchController.pause();
              res.once('drain', () => dispatchController.resume());
            }
          },
          onResponseEnd() {
            res.end();
            settle();
          },
          onResponseError(_dispatchController, error) {
            settle(error);
          },
        },
      );
    } catch (error) {
      settle(error as Error);
    }
  });
}

/** Streams the call to a replica and its answer to `res`; returns the status sent. Never throws. */
export async function forwardStreaming(
  provider: FunctionProvider,
  call: ForwardCall,
  limits: ForwardLimits,
  res: ServerResponse,
  logger: Logger,
): Promise<number> {
  try {
    return await onReplica(
      provider,
      call,
      limits,
      () => signalOnClose(res),
      (target) => dispatchToResponse(target, call, limits, res),
    );
  } catch (error) {
    const mapped = upstreamError(call, error);
    const context = { function: call.name, callId: call.callId, code: mapped.code, reason: mapped.message };
    if (mapped.code !== 'NOT_FOUND') logger.warn(context, 'call failed in the gateway');
    if (res.headersSent) {
      res.destroy();
      return res.statusCode;
    }
    if (!res.destroyed) {
      res.writeHead(mapped.status, {
        'content-type': 'application/json; charset=utf-8',
        'x-call-id': call.callId,
        // A body left unread would stall the next request on this keep-alive connection.
        ...(res.req.complete ? {} : { connection: 'close' }),
      });
      res.end(JSON.stringify(mapped.toJSON()));
    }
    return mapped.status;
  }
}

/** Sends the call to a replica and reads the whole answer (async invocations). */
export async function forwardBuffered(
  provider: FunctionProvider,
  call: ForwardCall,
  limits: ForwardLimits,
  signal: AbortSignal,
): Promise<UpstreamResponse & { body: Buffer }> {
  return onReplica(provider, call, limits, signal, async (target) => {
    const response = await target.dispatcher.request({
      path: call.query.length > 0 ? `${call.path}?${call.query}` : call.path,
      method: call.method as 'GET',
      headers: upstreamHeaders(call),
      body: call.body ?? null,
      signal,
      headersTimeout: limits.upstreamTimeoutMs,
      bodyTimeout: limits.upstreamTimeoutMs,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    return {
      statusCode: response.statusCode,
      headers: downstreamHeaders(call, response.headers as Record<string, string | string[] | undefined>),
      body,
    };
  });
}
