/**
 * The OpenFaaS REST API's bodies at the gateway's edge: parsed against the schemas of
 * contracts/openfaas/requests.ts, turned into the provider's FunctionSpec, and the status
 * encoded as faas-provider encodes it.
 */
import type { z } from 'zod';
import type { FunctionDeployment, FunctionDeploymentResources } from '../../contracts/openfaas/requests.ts';
import { CdnfaasError } from '../../lib/errors.ts';
import { assertNamespace } from '../provider/names.ts';
import type { FunctionSpec, FunctionStatus } from '../../contracts/openfaas/function.ts';

/** Parses a JSON body against a schema; malformed JSON and schema errors are INVALID_INPUT naming the field. */
export function parseBody<T>(body: unknown, schema: z.ZodType<T>, what: string): T {
  if (body === undefined || (Buffer.isBuffer(body) && body.length === 0)) {
    throw new CdnfaasError('INVALID_INPUT', `expected a JSON ${what} in the request body`, {
      hint: 'send a JSON object',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body));
  } catch (error) {
    throw new CdnfaasError('INVALID_INPUT', `malformed JSON in the ${what}: ${(error as Error).message}`, {
      hint: 'send a valid JSON object',
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    throw new CdnfaasError('INVALID_INPUT', `invalid ${what}: ${issues}`, {
      hint: 'compare the request with the OpenFaaS REST API',
    });
  }
  return parsed.data;
}

function resourcesOf(value: FunctionDeploymentResources): FunctionSpec['limits'] {
  if (value === null || value === undefined) return undefined;
  const result: NonNullable<FunctionSpec['limits']> = {};
  if (value.memory) result.memory = value.memory;
  if (value.cpu) result.cpu = value.cpu;
  return Object.keys(result).length === 0 ? undefined : result;
}

/** The provider's spec from a deploy/update body. Names are checked by the caller. */
export function toFunctionSpec(body: FunctionDeployment): FunctionSpec {
  assertNamespace(body.namespace);
  const spec: FunctionSpec = {
    name: body.service,
    image: body.image,
    envVars: body.envVars ?? {},
    constraints: body.constraints ?? [],
    secrets: body.secrets ?? [],
    labels: body.labels ?? {},
    annotations: body.annotations ?? {},
    readOnlyRootFilesystem: body.readOnlyRootFilesystem ?? false,
  };
  if (body.envProcess) spec.envProcess = body.envProcess;
  const limits = resourcesOf(body.limits);
  if (limits !== undefined) spec.limits = limits;
  const requests = resourcesOf(body.requests);
  if (requests !== undefined) spec.requests = requests;
  return spec;
}

/** FunctionStatus as faas-provider encodes it: Go's omitempty drops an empty map or list. */
export type WireFunctionStatus = Omit<FunctionStatus, 'envVars' | 'constraints' | 'secrets'> &
  Partial<Pick<FunctionStatus, 'envVars' | 'constraints' | 'secrets'>>;

/**
 * The answer of GET /system/function/{name} and /system/functions: `envVars`, `constraints` and
 * `secrets` are left out when empty, as OpenFaaS leaves them out (`json:",omitempty"`), so a
 * client comparing answers with OpenFaaS's sees the same fields.
 */
export function toWireStatus(status: FunctionStatus): WireFunctionStatus {
  const { envVars, constraints, secrets, ...rest } = status;
  return {
    ...rest,
    ...(Object.keys(envVars).length === 0 ? {} : { envVars }),
    ...(constraints.length === 0 ? {} : { constraints }),
    ...(secrets.length === 0 ? {} : { secrets }),
  };
}
