import type { FastifyReply, FastifyRequest } from 'fastify';
import { defaultNamespace } from '../../provider/types.ts';
import type { GatewayDeps } from '../deps.ts';

/** GET /system/info: gateway and provider versions for `faas-cli version`. */
export function makeInfoHandler({ info }: Pick<GatewayDeps, 'info'>) {
  return async (_request: FastifyRequest, reply: FastifyReply) => reply.send(info);
}

/** GET /system/namespaces: the one namespace served. */
export function makeNamespacesHandler() {
  return async (_request: FastifyRequest, reply: FastifyReply) => reply.send([defaultNamespace]);
}

/** GET /healthz: the gateway answers. */
export function makeHealthHandler() {
  return async (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/plain').send('OK');
}

/** GET /metrics: Prometheus text format. */
export function makeMetricsHandler({ metrics }: Pick<GatewayDeps, 'metrics'>) {
  return async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
}
