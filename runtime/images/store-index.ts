import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CdnfaasError } from '../../lib/errors.ts';

/** The store's tag index: which digest each `name:tag` names. Written atomically (temp file + rename). */
const indexSchema = z.object({
  schemaVersion: z.literal(1),
  tags: z.record(
    z.string(),
    z.object({ digest: z.string().regex(/^sha256:[a-f0-9]{64}$/), taggedAt: z.iso.datetime() }),
  ),
});

export type StoreIndex = z.infer<typeof indexSchema>;

export function emptyIndex(): StoreIndex {
  return { schemaVersion: 1, tags: {} };
}

export function readIndex(root: string): StoreIndex {
  const file = join(root, 'index.json');
  if (!existsSync(file)) return emptyIndex();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    json = error;
  }
  const parsed = indexSchema.safeParse(json);
  if (!parsed.success) {
    const reason =
      json instanceof Error
        ? json.message
        : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new CdnfaasError('CONFIG_INVALID', `the image index ${file} is malformed: ${reason}`, {
      hint: `restore it from a backup or delete ${root} and rebuild the images with npx cdnfaas build`,
    });
  }
  return parsed.data;
}

export function writeIndex(root: string, index: StoreIndex): void {
  mkdirSync(root, { recursive: true });
  const file = join(root, 'index.json');
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(index, null, 2)}\n`);
  renameSync(temp, file);
}
