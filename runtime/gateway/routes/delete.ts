import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertFunctionName, assertNamespace } from '../../provider/names.ts';
import type { GatewayDeps } from '../deps.ts';
import { deleteFunctionRequestSchema } from '../../../contracts/openfaas/requests.ts';
import { parseBody } from '../wire.ts';

/** DELETE /system/functions with {functionName}: drains and stops the replicas, then 202. */
export function makeDeleteHandler({ provider }: Pick<GatewayDeps, 'provider'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = parseBody(request.body, deleteFunctionRequestSchema, 'DeleteFunctionRequest');
    const name = assertFunctionName(body.functionName);
    assertNamespace(body.namespace);
    await provider.remove(name);
    return reply.code(202).send();
  };
}
