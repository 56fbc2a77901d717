import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayDeps } from '../deps.ts';
import { readDeployment } from './deploy.ts';

/**
 * PUT /system/functions: a rolling update when anything but the replica count changes (see
 * needsRollout); 404 for an unknown function, which makes faas-cli deploy fall back to POST.
 */
export function makeUpdateHandler({ provider }: Pick<GatewayDeps, 'provider'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const spec = readDeployment(request.body);
    await provider.update(spec);
    return reply.code(202).send();
  };
}
