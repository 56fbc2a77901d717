import type { FastifyReply, FastifyRequest } from 'fastify';
import { CdnfaasError } from '../../../lib/errors.ts';
import { assertFunctionName, assertNamespace } from '../../provider/names.ts';
import type { GatewayDeps } from '../deps.ts';
import { toWireStatus } from '../wire.ts';

type Request = FastifyRequest<{ Params: { name: string }; Querystring: { namespace?: string } }>;

/** GET /system/function/{name}: one FunctionStatus; availableReplicas counts healthy replicas only. */
export function makeGetHandler({ provider }: Pick<GatewayDeps, 'provider'>) {
  return async (request: Request, reply: FastifyReply) => {
    const name = assertFunctionName(request.params.name);
    const namespace = assertNamespace(request.query.namespace);
    const status = provider.get(name);
    if (status === undefined) {
      throw new CdnfaasError('NOT_FOUND', `function ${name} not found in namespace ${namespace}`, {
        hint: 'list functions with: faas-cli list',
      });
    }
    return reply.send(toWireStatus(status));
  };
}
