import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayDeps } from '../deps.ts';

/** GET /metrics: Prometheus text format, OpenFaaS metric names. */
export function makeMetricsHandler({ metrics }: Pick<GatewayDeps, 'metrics'>) {
  return async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
}
