import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { FunctionScaling } from '../../scaling/autoscaler/autoscaler.ts';
import type { GroupReport } from '../../scaling/lag/monitor.ts';
import type { FunctionConsumerSnapshot } from './function-consumer.ts';

export interface ServerDeps {
  registry: Registry;
  health(): { ok: boolean; detail: Record<string, unknown> };
  functions(): FunctionConsumerSnapshot[];
  lag(): GroupReport[];
  scaling(): FunctionScaling[] | undefined;
}

/**
 * The connector's own HTTP port: health, Prometheus metrics, and JSON views of what it consumes,
 * the lag of each group (Burrow-style status per partition) and the autoscaler's last decisions.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });

  app.get('/healthz', async (_request, reply) => {
    const health = deps.health();
    return reply
      .code(health.ok ? 200 : 503)
      .send({ status: health.ok ? 'ok' : 'unavailable', ...health.detail });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  app.get('/functions', async () => ({ functions: deps.functions() }));

  app.get('/lag', async () => ({
    groups: deps.lag().map((group) => ({
      ...group,
      // the raw windows are long; the evaluated status and reason say what they mean
      partitions: group.partitions.map(({ window, ...partition }) => ({
        ...partition,
        observations: window.length,
      })),
    })),
  }));

  app.get('/lag/:group', async (request, reply) => {
    const { group } = request.params as { group: string };
    const report = deps.lag().find((entry) => entry.groupId === group);
    if (report === undefined)
      return reply.code(404).send({ code: 'NOT_FOUND', message: `no lag report for group ${group}` });
    return report;
  });

  app.get('/scaling', async (_request, reply) => {
    const scaling = deps.scaling();
    if (scaling === undefined)
      return reply
        .code(404)
        .send({ code: 'NOT_FOUND', message: 'the autoscaler is not running in this process' });
    return { functions: scaling };
  });

  return app;
}
