import type { FastifyReply, FastifyRequest } from 'fastify';

/** GET /healthz: the gateway answers (faas-cli ready without a function polls it). */
export function makeHealthHandler() {
  return async (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/plain').send('OK');
}
