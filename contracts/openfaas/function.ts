/**
 * The OpenFaaS function record as faas-provider's types/*.go define it, once: what a deploy asks
 * for (FunctionSpec, faas-provider FunctionDeployment with `service` read as `name`) and what
 * GET /system/functions answers (FunctionStatus). The gateway's provider produces these, the
 * connector, the autoscaler and the dashboard read them. Go decodes absent and null alike, so
 * the schemas accept both and fill in what OpenFaaS would leave empty.
 */
import { z } from 'zod';

/** The only namespace cdnfaas serves, as OpenFaaS CE. */
export const defaultNamespace = 'openfaas-fn';

const stringMap = z
  .record(z.string(), z.string())
  .nullish()
  .transform((map) => map ?? {});
const stringList = z
  .array(z.string())
  .nullish()
  .transform((list) => list ?? []);

export const functionResourcesSchema = z.object({
  memory: z.string().optional(),
  cpu: z.string().optional(),
});
export type FunctionResources = z.infer<typeof functionResourcesSchema>;

export const functionSpecSchema = z.object({
  name: z.string().min(1),
  /** Normalised `name:tag` reference, resolved in the image store. */
  image: z.string().default(''),
  envProcess: z.string().optional(),
  envVars: stringMap,
  constraints: stringList,
  secrets: stringList,
  labels: stringMap,
  annotations: stringMap,
  limits: functionResourcesSchema.optional(),
  requests: functionResourcesSchema.optional(),
  readOnlyRootFilesystem: z.boolean().default(false),
});
export type FunctionSpec = z.infer<typeof functionSpecSchema>;

export const functionStatusSchema = functionSpecSchema.extend({
  namespace: z.string().default(defaultNamespace),
  invocationCount: z.number().min(0).default(0),
  /** Desired replicas. */
  replicas: z.number().int().min(0).default(0),
  /** Replicas that passed their health check and take requests. */
  availableReplicas: z.number().int().min(0).default(0),
  /** ISO 8601. */
  createdAt: z.string().default(''),
});
export type FunctionStatus = z.infer<typeof functionStatusSchema>;

/** What the settings registry reads of a function: its name (for errors), labels and annotations. */
export type FunctionMetadata = Pick<FunctionSpec, 'name'> &
  Partial<Record<'labels' | 'annotations', Record<string, string> | null>>;
