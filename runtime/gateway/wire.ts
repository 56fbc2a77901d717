/**
 * Request bodies of the OpenFaaS REST API (faas-provider types/*.go), validated once at the edge.
 * Go decodes absent and null alike and ignores unknown fields, so these schemas do the same:
 * faas-cli sends `"labels":null` when a function has none.
 */
import { z } from 'zod';
import { CdnfaasError } from '../../lib/errors.ts';
import { assertNamespace } from '../provider/names.ts';
import type { FunctionSpec, FunctionStatus } from '../provider/types.ts';

const stringMap = z.record(z.string(), z.string()).nullish();
const resources = z.object({ memory: z.string().nullish(), cpu: z.string().nullish() }).nullish();

export const functionDeploymentSchema = z.object({
  service: z.string(),
  image: z.string(),
  namespace: z.string().nullish(),
  envProcess: z.string().nullish(),
  envVars: stringMap,
  constraints: z.array(z.string()).nullish(),
  secrets: z.array(z.string()).nullish(),
  labels: stringMap,
  annotations: stringMap,
  limits: resources,
  requests: resources,
  readOnlyRootFilesystem: z.boolean().nullish(),
});

export const scaleServiceRequestSchema = z.object({
  serviceName: z.string(),
  replicas: z.number().int().min(0),
  namespace: z.string().nullish(),
});

export const deleteFunctionRequestSchema = z.object({
  functionName: z.string(),
  namespace: z.string().nullish(),
});

export const secretSchema = z.object({
  name: z.string(),
  namespace: z.string().nullish(),
  value: z.string().nullish(),
  /** Go encodes []byte as base64. */
  rawValue: z.base64().nullish(),
});

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

function resourcesOf(value: z.infer<typeof resources>): FunctionSpec['limits'] {
  if (value === null || value === undefined) return undefined;
  const result: NonNullable<FunctionSpec['limits']> = {};
  if (value.memory) result.memory = value.memory;
  if (value.cpu) result.cpu = value.cpu;
  return Object.keys(result).length === 0 ? undefined : result;
}

/** The provider's spec from a deploy/update body. Names are checked by the caller. */
export function toFunctionSpec(body: z.infer<typeof functionDeploymentSchema>): FunctionSpec {
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
