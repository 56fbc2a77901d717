import type { FastifyReply, FastifyRequest } from 'fastify';
import { defaultNamespace } from '../../provider/types.ts';

/** GET /system/namespaces: the one namespace served. */
export function makeNamespacesHandler() {
  return async (_request: FastifyRequest, reply: FastifyReply) => reply.send([defaultNamespace]);
}
