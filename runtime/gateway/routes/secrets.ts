import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertNamespace, assertSecretName } from '../../provider/names.ts';
import { defaultNamespace } from '../../../contracts/openfaas/function.ts';
import type { GatewayDeps } from '../deps.ts';
import { secretSchema } from '../../../contracts/openfaas/requests.ts';
import { parseBody } from '../wire.ts';

type Request = FastifyRequest<{ Querystring: { namespace?: string } }>;

function readSecret(body: unknown): { name: string; value: Buffer } {
  const secret = parseBody(body, secretSchema, 'Secret');
  const name = assertSecretName(secret.name);
  assertNamespace(secret.namespace);
  const value = secret.rawValue
    ? Buffer.from(secret.rawValue, 'base64')
    : Buffer.from(secret.value ?? '', 'utf8');
  return { name, value };
}

/**
 * /system/secrets: GET lists names (never values), POST creates (409 if it exists), PUT updates
 * (404 if absent), DELETE removes. Replicas get copies when their revision starts.
 */
export function makeSecretsHandler({ secrets, logger }: Pick<GatewayDeps, 'secrets' | 'logger'>) {
  return async (request: Request, reply: FastifyReply) => {
    switch (request.method) {
      case 'GET': {
        const namespace = assertNamespace(request.query.namespace);
        return reply.send(secrets.list().map((name) => ({ name, namespace })));
      }
      case 'POST': {
        const { name, value } = readSecret(request.body);
        secrets.create(name, value);
        logger.info({ secret: name, namespace: defaultNamespace }, 'secret created');
        return reply.code(201).send();
      }
      case 'PUT': {
        const { name, value } = readSecret(request.body);
        secrets.update(name, value);
        logger.info({ secret: name, namespace: defaultNamespace }, 'secret updated');
        return reply.code(202).send();
      }
      default: {
        const { name } = readSecret(request.body);
        secrets.remove(name);
        logger.info({ secret: name, namespace: defaultNamespace }, 'secret removed');
        return reply.code(202).send();
      }
    }
  };
}
