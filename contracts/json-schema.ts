import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { clientDataSchema } from './client-data.ts';
import { predictionSchema } from './prediction.ts';
import { batchRequestSchema, batchResponseSchema } from './batch.ts';

/** The JSON Schema files other tools read, generated from the zod schemas (the source of truth). */
export const jsonSchemaFiles = {
  'client-data.schema.json': clientDataSchema,
  'prediction.schema.json': predictionSchema,
  'batch-request.schema.json': batchRequestSchema,
  'batch-response.schema.json': batchResponseSchema,
} as const;

export const jsonSchemaDir = join(dirname(fileURLToPath(import.meta.url)), 'schemas');

export function renderJsonSchema(schema: z.ZodType): string {
  return `${JSON.stringify(z.toJSONSchema(schema, { target: 'draft-2020-12' }), null, 2)}\n`;
}

export function writeJsonSchemas(dir = jsonSchemaDir): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(jsonSchemaFiles).map(([file, schema]) => {
    const path = join(dir, file);
    writeFileSync(path, renderJsonSchema(schema));
    return path;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const path of writeJsonSchemas()) console.log(`wrote ${path}`);
}
