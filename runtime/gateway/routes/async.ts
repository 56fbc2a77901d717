import type { FastifyReply, FastifyRequest } from 'fastify';
import { CdnfaasError } from '../../../lib/errors.ts';
import type { GatewayDeps } from '../deps.ts';
import { readBody } from '../forward-call.ts';
import { describeCall, splitFunctionUrl, targetFunction } from './invoke.ts';

type Request = FastifyRequest;

function callbackUrl(value: string | string[] | undefined): URL | undefined {
  if (value === undefined || value === '') return undefined;
  const text = Array.isArray(value) ? value[0]! : value;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CdnfaasError('INVALID_INPUT', `X-Callback-Url ${JSON.stringify(text)} is not a URL`, {
      hint: 'send an absolute http(s) URL',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CdnfaasError('INVALID_INPUT', `X-Callback-Url must be http or https, got ${url.protocol}`, {
      hint: 'send an absolute http(s) URL',
    });
  }
  return url;
}

/**
 * /async-function/{name}[/path]: 202 with X-Call-Id at once; the call runs in the background and
 * its result is POSTed to X-Callback-Url when given.
 */
export function makeAsyncHandler(
  deps: Pick<GatewayDeps, 'provider' | 'asyncInvoker' | 'limits' | 'metrics'>,
) {
  return async (request: Request, reply: FastifyReply) => {
    const url = splitFunctionUrl(request.raw.url ?? '', '/async-function/');
    if (url === undefined)
      throw new CdnfaasError('NOT_FOUND', 'no function named in the path', {
        hint: 'call /async-function/<name>',
      });
    const target = targetFunction(url.qualified);
    if (deps.provider.get(target.name) === undefined) {
      throw new CdnfaasError('NOT_FOUND', `function ${url.qualified} not found`, {
        hint: 'list functions with: faas-cli list',
      });
    }
    const callback = callbackUrl(request.headers['x-callback-url']);
    const call = await describeCall(request.raw, url, deps.limits, target.name);
    // Read the whole body now: the caller's connection is gone by the time the call runs.
    if (call.body !== undefined && !Buffer.isBuffer(call.body))
      call.body = await readBody(call.body, deps.limits.maxBodyBytes);
    deps.asyncInvoker.submit({ call, qualifiedName: target.qualifiedName, callbackUrl: callback });
    deps.metrics.invocationStarted(target.qualifiedName);
    return reply.code(202).header('x-call-id', call.callId).header('x-start-time', call.startTime).send();
  };
}
