import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayDeps } from '../deps.ts';

/** GET /system/info: gateway and provider versions for `faas-cli version`. */
export function makeInfoHandler({ info }: Pick<GatewayDeps, 'info'>) {
  return async (_request: FastifyRequest, reply: FastifyReply) => reply.send(info);
}
