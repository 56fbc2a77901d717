import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertFunctionName } from '../../provider/names.ts';
import type { FunctionSpec } from '../../../contracts/openfaas/function.ts';
import type { GatewayDeps } from '../deps.ts';
import { functionDeploymentSchema } from '../../../contracts/openfaas/requests.ts';
import { parseBody, toFunctionSpec } from '../wire.ts';

/** Decodes, defaults and validates a FunctionDeployment body (shared by deploy and update). */
export function readDeployment(body: unknown): FunctionSpec {
  const spec = toFunctionSpec(parseBody(body, functionDeploymentSchema, 'FunctionDeployment'));
  assertFunctionName(spec.name);
  return spec;
}

/** POST /system/functions: creates a function; 202 once its replicas are starting. */
export function makeDeployHandler({ provider }: Pick<GatewayDeps, 'provider'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const spec = readDeployment(request.body);
    await provider.deploy(spec);
    return reply.code(202).send();
  };
}
