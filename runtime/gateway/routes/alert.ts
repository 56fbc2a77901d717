import type { FastifyReply, FastifyRequest } from 'fastify';
import { alertPayloadSchema } from '../../../scaling/http/alert-scaling.ts';
import { applyAlerts } from '../../../scaling/http/apply.ts';
import type { GatewayDeps } from '../deps.ts';
import { parseBody } from '../wire.ts';

/**
 * POST /system/alert: AlertManager's webhook. Each alert of APIHighInvocationRate scales its
 * function as OpenFaaS's alert handler does; 200 when every scale call succeeded, otherwise 500
 * with one numbered line per failure, as OpenFaaS answers.
 */
export function makeAlertHandler({ provider, logger }: Pick<GatewayDeps, 'provider' | 'logger'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const payload = parseBody(request.body, alertPayloadSchema, 'AlertManager webhook payload');
    const { failures } = await applyAlerts(provider, payload.alerts, logger, 'alertmanager');
    if (failures.length > 0)
      return reply
        .code(500)
        .type('text/plain')
        .send(failures.map((failure, index) => `[${index}] ${failure}\n`).join(''));
    return reply.code(200).send();
  };
}
