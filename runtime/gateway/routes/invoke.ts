import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CdnfaasError } from '../../../lib/errors.ts';
import { isFunctionName, splitQualifiedName } from '../../provider/names.ts';
import { defaultNamespace } from '../../provider/types.ts';
import type { GatewayDeps } from '../deps.ts';
import { forwardStreaming, prepareBody, type ForwardCall } from '../forward.ts';
import { sendError, toCdnfaasError } from '../http-errors.ts';

type Request = FastifyRequest<{ Params: { name: string; '*'?: string } }>;

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
  request: Request,
  deps: Pick<GatewayDeps, 'limits'>,
  name: string,
): Promise<ForwardCall> {
  const url = request.raw.url ?? '/';
  const questionMark = url.indexOf('?');
  const callId = (request.headers['x-call-id'] as string | undefined) ?? randomUUID();
  return {
    name,
    method: request.method,
    path: `/${request.params['*'] ?? ''}`,
    query: questionMark < 0 ? '' : url.slice(questionMark + 1),
    headers: request.headers,
    body: await prepareBody(request.raw, deps.limits),
    callId,
    startTime: String(Date.now() * 1_000_000),
    remoteAddress: request.raw.socket.remoteAddress,
  };
}

/** /function/{name}[.openfaas-fn][/path]: any method, proxied to a ready replica, waiting for one when none is. */
export function makeInvokeHandler(deps: Pick<GatewayDeps, 'provider' | 'metrics' | 'limits' | 'logger'>) {
  const { provider, metrics, limits, logger } = deps;
  return async (request: Request, reply: FastifyReply) => {
    const started = performance.now();
    let target: ReturnType<typeof targetFunction>;
    let call: ForwardCall;
    try {
      target = targetFunction(request.params.name);
      call = await describeCall(request, deps, target.name);
    } catch (error) {
      // A body left unread would stall the next request on this keep-alive connection.
      if (!request.raw.complete) reply.header('connection', 'close');
      return sendError(reply, toCdnfaasError(error));
    }
    reply.hijack();
    metrics.invocationStarted(target.qualifiedName);
    const status = await forwardStreaming(provider, call, limits, reply.raw, logger);
    metrics.invocationCompleted(target.qualifiedName, status, (performance.now() - started) / 1000);
    if (status !== 404) provider.recordInvocation(target.name);
  };
}
