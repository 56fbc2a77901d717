import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertNamespace } from '../../provider/names.ts';
import type { GatewayDeps } from '../deps.ts';
import { toWireStatus } from '../wire.ts';

type Request = FastifyRequest<{ Querystring: { namespace?: string } }>;

/** GET /system/functions: every function's FunctionStatus. */
export function makeListHandler({ provider }: Pick<GatewayDeps, 'provider'>) {
  return async (request: Request, reply: FastifyReply) => {
    assertNamespace(request.query.namespace);
    return reply.send(provider.list().map(toWireStatus));
  };
}
