import type { FastifyReply, FastifyRequest } from 'fastify';
import { CdnfaasError } from '../../../lib/errors.ts';
import { defaultNamespace } from '../../../contracts/openfaas/function.ts';

type Request = FastifyRequest<{ Params: { name: string } }>;

/** faas-provider types.FunctionNamespace. */
export interface FunctionNamespace {
  name: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

/**
 * The one namespace, described as OpenFaaS describes a namespace it may deploy to (the
 * `openfaas: "1"` annotation marks such a namespace); any other is NOT_FOUND, which faas-cli
 * reports as "namespace <name> not found".
 */
export function describeNamespace(name: string): FunctionNamespace {
  if (name === defaultNamespace) {
    return { name, annotations: { openfaas: '1' }, labels: { role: defaultNamespace } };
  }
  throw new CdnfaasError('NOT_FOUND', `namespace ${JSON.stringify(name)} not found`, {
    hint: `${defaultNamespace} is the only namespace of the local runtime, as in OpenFaaS CE`,
    context: { namespace: name },
  });
}

/** GET /system/namespace/{name}: the namespace (faas-cli namespace get). */
export function makeNamespaceGetHandler() {
  return async (request: Request, reply: FastifyReply) => reply.send(describeNamespace(request.params.name));
}

/**
 * POST, PUT and DELETE /system/namespace/{name} (faas-cli namespace create, update, remove):
 * refused, since the runtime has exactly one namespace; 404 for a namespace that does not exist.
 */
export function makeNamespaceMutateHandler() {
  return async (request: Request) => {
    const { name } = request.params;
    if (request.method !== 'POST') describeNamespace(name);
    throw new CdnfaasError(
      'INVALID_INPUT',
      `namespaces cannot be created, changed or removed: the local runtime serves only ${defaultNamespace}`,
      {
        hint: `deploy to ${defaultNamespace} (omit --namespace); OpenFaaS CE has the same single namespace`,
        context: { namespace: name, method: request.method },
      },
    );
  };
}
