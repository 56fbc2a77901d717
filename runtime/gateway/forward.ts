/**
 * Forwarding a call to a replica: the request as it came (method, sub-path, query, headers, body),
 * over a keep-alive pool, the response streamed back. A call that never reached its replica (the
 * replica had just died) is retried on another one; a call that did reach it is never repeated.
 */
import type { ServerResponse } from 'node:http';
import { CdnfaasError, isCdnfaasError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { FunctionProvider, InvokeTarget } from '../provider/types.ts';
import {
  downstreamHeaders,
  upstreamHeaders,
  type ForwardCall,
  type ForwardLimits,
  type UpstreamResponse,
} from './forward-call.ts';

/** undici errors raised before the request was written: safe to send elsewhere. */
const notDeliveredCodes = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
]);
const maxAttempts = 3;

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
