import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { FunctionEvent, Handler } from './function.ts';
import { InflightCalls, listen } from './http-lifecycle.ts';
import type { Log } from './log.ts';
import { BodyTooLargeError, bodyKind, decodeBody, readBody, splitTarget, type Query } from './request.ts';
import { CallContext, errorBody, errorStatus, renderBody, type RenderedBody } from './response.ts';
import type { ServerSettings } from './settings.ts';

/** The replica health path of the local runtime and of-watchdog. */
export const healthPath = '/_/health';

export interface FunctionServerOptions {
  settings: ServerSettings;
  log: Log;
  /** Imports the handler module; the server answers 503 on health until it resolves. */
  loadHandler: () => Promise<Handler>;
}

export interface FunctionServer {
  /** Listens, then loads the handler; resolves with the port once the handler is ready. */
  start(): Promise<number>;
  /** Stops accepting connections and resolves once every call in flight has answered. */
  drain(): Promise<void>;
  readonly inflight: number;
}

const noBodyStatus = (status: number): boolean => status === 204 || status === 304 || status < 200;

export function createFunctionServer(options: FunctionServerOptions): FunctionServer {
  const { settings, log } = options;
  let handler: Handler | undefined;
  const calls = new InflightCalls();
  let draining = false;

  function send(
    res: ServerResponse,
    status: number,
    rendered: RenderedBody,
    headers: Record<string, string> = {},
  ): void {
    if (res.headersSent || res.destroyed) return;
    const out: OutgoingHttpHeaders = { ...headers };
    if (rendered.contentType !== undefined && out['content-type'] === undefined)
      out['content-type'] = rendered.contentType;
    if (!noBodyStatus(status)) out['content-length'] = Buffer.byteLength(rendered.body);
    if (draining) out.connection = 'close';
    res.writeHead(status, out);
    res.end(noBodyStatus(status) ? undefined : rendered.body);
  }

  const release = (): void => calls.end();

  async function invoke(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: Query,
  ): Promise<void> {
    const callId = req.headers['x-call-id'];
    const started = performance.now();
    let bytes: Buffer;
    try {
      bytes = await readBody(req, settings.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        send(
          res,
          413,
          errorBody(
            'PAYLOAD_TOO_LARGE',
            `${error.message}; the function's max_body_size is ${settings.maxBodyBytes}`,
          ),
        );
      } else {
        log.warn('request body could not be read', { callId, err: error });
      }
      return;
    }
    const decoded = decodeBody(bytes, bodyKind(req.headers['content-type'], settings.rawBody));
    if (!decoded.ok) return send(res, 400, errorBody('INVALID_INPUT', decoded.message));
    const event: FunctionEvent = {
      body: decoded.body,
      headers: req.headers,
      method: req.method ?? 'GET',
      query,
      path,
    };

    let answered = false;
    const answer = (status: number, rendered: RenderedBody, headers?: Record<string, string>): void => {
      if (answered) return;
      answered = true;
      if (timer !== undefined) clearTimeout(timer);
      send(res, status, rendered, headers);
      if (log.enabled('debug')) {
        log.debug('call answered', {
          callId,
          method: event.method,
          path,
          status,
          ms: +(performance.now() - started).toFixed(3),
        });
      }
    };
    const timer =
      settings.execTimeoutMs > 0
        ? setTimeout(() => {
            log.warn('call exceeded exec_timeout', { callId, path, timeoutMs: settings.execTimeoutMs });
            answer(
              504,
              errorBody(
                'TIMEOUT',
                `the function did not answer within exec_timeout (${settings.execTimeoutMs} ms)`,
              ),
            );
          }, settings.execTimeoutMs)
        : undefined;
    const context = new CallContext((outcome) => {
      if (outcome.kind === 'fail')
        log.warn('handler failed the call', { callId, path, status: context.statusCode });
      answer(context.statusCode, renderBody(outcome.value), context.headerValues);
    });
    try {
      const returned = await handler!(event, context);
      if (context.outcome === undefined) context.succeed(returned);
    } catch (error) {
      log.error(answered ? 'handler threw after answering' : 'handler threw', { callId, path, err: error });
      const status = errorStatus(error) ?? 500;
      const code = (error as { code?: unknown } | null)?.code;
      answer(
        status,
        errorBody(typeof code === 'string' ? code : 'INTERNAL', (error as Error)?.message ?? String(error)),
      );
    }
  }

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    const { path, query } = splitTarget(req.url ?? '/');
    if (path === healthPath) {
      const healthy = handler !== undefined && !draining;
      return send(res, healthy ? 200 : 503, {
        body: healthy ? 'OK' : draining ? 'draining' : 'loading',
        contentType: 'text/plain',
      });
    }
    if (handler === undefined)
      return send(res, 503, errorBody('SERVICE_UNHEALTHY', 'the handler module is still loading'));
    if (settings.maxInflight > 0 && calls.count >= settings.maxInflight) {
      return send(
        res,
        429,
        errorBody(
          'TOO_MANY_REQUESTS',
          `the replica is at its limit of ${settings.maxInflight} calls in flight`,
        ),
      );
    }
    calls.begin();
    res.once('close', release);
    invoke(req, res, path, query).catch((error: unknown) => {
      log.error('call failed inside the server', { err: error });
      send(res, 500, errorBody('INTERNAL', 'the function server failed to answer'));
    });
  });

  return {
    get inflight() {
      return calls.count;
    },
    async start() {
      const port = await listen(server, settings.port, settings.host);
      log.info('listening', { port, host: settings.host });
      const loadStarted = performance.now();
      handler = await options.loadHandler();
      log.info('handler loaded', { port, loadMs: +(performance.now() - loadStarted).toFixed(1) });
      return port;
    },
    drain() {
      draining = true;
      return calls.drain(server);
    },
  };
}
