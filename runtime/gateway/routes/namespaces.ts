import type { FastifyReply, FastifyRequest } from 'fastify';
import { defaultNamespace } from '../../../contracts/openfaas/function.ts';

/** GET /system/namespaces: the one namespace served. */
export function makeNamespacesHandler() {
  return async (_request: FastifyRequest, reply: FastifyReply) => reply.send([defaultNamespace]);
}
