/**
 * Request bodies of the OpenFaaS REST API (faas-provider types/*.go), validated once at the
 * gateway's edge. Go decodes absent and null alike and ignores unknown fields, so these schemas
 * do the same: faas-cli sends `"labels":null` when a function has none.
 */
import { z } from 'zod';

const stringMap = z.record(z.string(), z.string()).nullish();
const resources = z.object({ memory: z.string().nullish(), cpu: z.string().nullish() }).nullish();

/** POST/PUT /system/functions. */
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
export type FunctionDeployment = z.infer<typeof functionDeploymentSchema>;
export type FunctionDeploymentResources = z.infer<typeof resources>;

/** POST /system/scale-function/{name}. */
export const scaleServiceRequestSchema = z.object({
  serviceName: z.string(),
  replicas: z.number().int().min(0),
  namespace: z.string().nullish(),
});
export type ScaleServiceRequest = z.infer<typeof scaleServiceRequestSchema>;

/** DELETE /system/functions. */
export const deleteFunctionRequestSchema = z.object({
  functionName: z.string(),
  namespace: z.string().nullish(),
});
export type DeleteFunctionRequest = z.infer<typeof deleteFunctionRequestSchema>;

/** POST/PUT/DELETE /system/secrets. */
export const secretSchema = z.object({
  name: z.string(),
  namespace: z.string().nullish(),
  value: z.string().nullish(),
  /** Go encodes []byte as base64. */
  rawValue: z.base64().nullish(),
});
export type Secret = z.infer<typeof secretSchema>;
