import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { FunctionSpec } from '../../contracts/openfaas/function.ts';

/**
 * The deployed functions, kept on disk so that a restarted gateway runs them again, as faasd
 * keeps its containers. Written atomically (temp file + rename) after every change made through
 * the API; the gateway stopping does not count as removing its functions.
 */
export interface SavedFunction {
  spec: FunctionSpec;
  replicas: number;
}

const resources = z.object({ memory: z.string().optional(), cpu: z.string().optional() }).optional();
const savedSchema = z.object({
  version: z.literal(1),
  functions: z.array(
    z.object({
      spec: z.object({
        name: z.string(),
        image: z.string(),
        envProcess: z.string().optional(),
        envVars: z.record(z.string(), z.string()),
        constraints: z.array(z.string()),
        secrets: z.array(z.string()),
        labels: z.record(z.string(), z.string()),
        annotations: z.record(z.string(), z.string()),
        limits: resources,
        requests: resources,
        readOnlyRootFilesystem: z.boolean(),
      }),
      replicas: z.number().int().min(0),
    }),
  ),
});

export function writeSavedFunctions(file: string, functions: SavedFunction[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ version: 1, functions }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The saved functions; none when the file is absent. Throws with the reason when it is unreadable. */
export function readSavedFunctions(file: string): SavedFunction[] {
  if (!existsSync(file)) return [];
  const parsed = savedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.functions as SavedFunction[];
}
