import type { FastifyReply, FastifyRequest } from 'fastify';
import { CdnfaasError } from '../../../lib/errors.ts';
import { assertFunctionName, assertNamespace } from '../../provider/names.ts';
import type { GatewayDeps } from '../deps.ts';
import { scaleServiceRequestSchema } from '../../../contracts/openfaas/requests.ts';
import { parseBody } from '../wire.ts';

type Request = FastifyRequest<{ Params: { name: string } }>;

/** POST /system/scale-function/{name} with {serviceName, replicas}: sets the desired count, 0 included. */
export function makeScaleHandler({ provider }: Pick<GatewayDeps, 'provider'>) {
  return async (request: Request, reply: FastifyReply) => {
    const name = assertFunctionName(request.params.name);
    const body = parseBody(request.body, scaleServiceRequestSchema, 'ScaleServiceRequest');
    assertNamespace(body.namespace);
    if (body.serviceName !== '' && body.serviceName !== name) {
      throw new CdnfaasError(
        'INVALID_INPUT',
        `serviceName ${JSON.stringify(body.serviceName)} differs from ${name} in the path`,
        {
          hint: 'send the same function name in the path and the body',
        },
      );
    }
    await provider.scale(name, body.replicas);
    return reply.code(202).send();
  };
}
