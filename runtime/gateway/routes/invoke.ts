import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CdnfaasError } from '../../../lib/errors.ts';
import { isFunctionName, splitQualifiedName } from '../../provider/names.ts';
import { defaultNamespace } from '../../../contracts/openfaas/function.ts';
import type { GatewayDeps } from '../deps.ts';
import { prepareBody, type ForwardCall } from '../forward-call.ts';
import { forwardStreaming } from '../forward.ts';
import { toCdnfaasError } from '../http-errors.ts';

/** The parts of `/function/<name>[/<path>][?<query>]`, undecoded: the path is forwarded as sent. */
export interface FunctionUrl {
  qualified: string;
  path: string;
  query: string;
}

export function splitFunctionUrl(
  url: string,
  prefix: '/function/' | '/async-function/',
): FunctionUrl | undefined {
  if (!url.startsWith(prefix)) return undefined;
  const questionMark = url.indexOf('?');
  const rest = (questionMark < 0 ? url : url.slice(0, questionMark)).slice(prefix.length);
  const slash = rest.indexOf('/');
  const qualified = slash < 0 ? rest : rest.slice(0, slash);
  if (qualified === '') return undefined;
  return {
    qualified,
    path: slash < 0 ? '/' : rest.slice(slash),
    query: questionMark < 0 ? '' : url.slice(questionMark + 1),
  };
}

/** The function a /function/{name} path names, or NOT_FOUND as the OpenFaaS gateway answers. */
export function targetFunction(qualified: string): { name: string; qualifiedName: string } {
  const { name, namespace } = splitQualifiedName(qualified);
  if (namespace !== defaultNamespace || !isFunctionName(name)) {
    throw new CdnfaasError('NOT_FOUND', `function ${qualified} not found`, {
      hint: 'list functions with: faas-cli list',
    });
  }
  return { name, qualifiedName: `${name}.${namespace}` };
}

/** The call as it will be forwarded: sub-path, raw query, headers, body, call id. */
export async function describeCall(
  req: IncomingMessage,
  url: FunctionUrl,
  limits: GatewayDeps['limits'],
  name: string,
): Promise<ForwardCall> {
  const callId = req.headers['x-call-id'];
  return {
    name,
    method: req.method ?? 'GET',
    path: url.path,
    query: url.query,
    headers: req.headers,
    body: await prepareBody(req, limits),
    callId: typeof callId === 'string' && callId !== '' ? callId : randomUUID(),
    startTime: String(Date.now() * 1_000_000),
    remoteAddress: req.socket.remoteAddress,
  };
}

function writeError(req: IncomingMessage, res: ServerResponse, error: CdnfaasError): void {
  res.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    // A body left unread would stall the next request on this keep-alive connection.
    ...(req.complete ? {} : { connection: 'close' }),
  });
  res.end(JSON.stringify(error.toJSON()));
}

/**
 * A whole call of /function/{name}[.openfaas-fn][/path] on the raw request and response: any
 * method, proxied to a ready replica, waiting for one when none is. Never throws. The gateway
 * runs it straight from the HTTP server (no router work on the hot path) and from the fastify
 * route below (inject() in tests).
 */
export function makeInvoker(deps: Pick<GatewayDeps, 'provider' | 'metrics' | 'limits' | 'logger'>) {
  const { provider, metrics, limits, logger } = deps;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    let target: ReturnType<typeof targetFunction>;
    let call: ForwardCall;
    try {
      const url = splitFunctionUrl(req.url ?? '', '/function/');
      if (url === undefined)
        throw new CdnfaasError('NOT_FOUND', 'no function named in the path', {
          hint: 'call /function/<name>',
        });
      target = targetFunction(url.qualified);
      call = await describeCall(req, url, limits, target.name);
    } catch (error) {
      writeError(req, res, toCdnfaasError(error));
      return;
    }
    metrics.invocationStarted(target.qualifiedName);
    const status = await forwardStreaming(provider, call, limits, res, logger);
    metrics.invocationCompleted(target.qualifiedName, status, (performance.now() - started) / 1000);
    if (status !== 404) provider.recordInvocation(target.name);
  };
}

/** The fastify route for the same calls. */
export function makeInvokeHandler(invoke: ReturnType<typeof makeInvoker>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    await invoke(request.raw, reply.raw);
  };
}
