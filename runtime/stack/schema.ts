import { z } from 'zod';
import { isValidImageReference } from '../images/reference.ts';

/**
 * The OpenFaaS stack file (stack.yml) as faas-cli reads it (go-sdk stack.Services), validated.
 * Maps of strings accept YAML numbers and booleans, as faas-cli does, and turn them into strings.
 * Unknown keys are refused so that a typo (`anotations:`) is an error instead of a silent no-op.
 */

/** DNS-1123 label: what OpenFaaS requires of a function name. */
export const functionNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const scalarString = z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value));
const stringMap = z.record(z.string(), scalarString);

const resources = z
  .object({
    memory: z
      .string()
      .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'a Kubernetes quantity such as 128Mi')
      .optional(),
    cpu: scalarString
      .pipe(z.string().regex(/^\d+(\.\d+)?m?$/, 'a Kubernetes CPU quantity such as 100m or 0.5'))
      .optional(),
  })
  .strict();

const functionSchema = z
  .object({
    lang: z.string().min(1, 'the template name, e.g. node20-ts'),
    handler: z.string().min(1, 'the folder holding handler.ts, relative to the stack file'),
    image: z.string().refine(isValidImageReference, 'an image reference such as cdnfaas/predict:0.1.0'),
    fprocess: z.string().optional(),
    environment: stringMap.default({}),
    environment_file: z.array(z.string().min(1)).default([]),
    secrets: z
      .array(z.string().regex(functionNamePattern, 'a secret name (DNS-1123: a-z, 0-9, -)'))
      .default([]),
    labels: stringMap.default({}),
    annotations: stringMap.default({}),
    limits: resources.optional(),
    requests: resources.optional(),
    build_args: stringMap.default({}),
    build_options: z.array(z.string()).default([]),
    build_secrets: stringMap.default({}),
    skip_build: z.boolean().default(false),
    constraints: z.array(z.string()).default([]),
    readonly_root_filesystem: z.boolean().default(false),
    namespace: z.string().optional(),
    platforms: z.string().optional(),
  })
  .strict();

export const stackSchema = z
  .object({
    version: scalarString.optional(),
    provider: z
      .object({
        name: z.string().default('openfaas'),
        gateway: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
        network: z.string().optional(),
      })
      .strict()
      .default({ name: 'openfaas', gateway: 'http://127.0.0.1:8080' }),
    functions: z.record(
      z
        .string()
        .max(63)
        .regex(functionNamePattern, 'a function name (DNS-1123: lowercase a-z, 0-9 and "-", at most 63)'),
      functionSchema,
    ),
    configuration: z
      .object({
        templates: z
          .array(z.object({ name: z.string(), source: z.string().optional() }).strict())
          .default([]),
        copy: z.array(z.string()).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

export type RawStack = z.infer<typeof stackSchema>;
export type RawStackFunction = z.infer<typeof functionSchema>;
