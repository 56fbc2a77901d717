import { z } from 'zod';
import { compareStrings, digestOfFiles, isSafeRelativePath, type FileEntry } from './digest.ts';
import { manifestFileName, type ImageManifest } from './types.ts';

export interface ManifestInput {
  /** The normalised reference the image is built as. */
  image: string;
  function: string;
  entrypoint: string;
  files: readonly FileEntry[];
  createdAt: Date;
  lang?: string;
}

/** The manifest of an image from its files: the digest covers every file except the manifest itself. */
export function buildManifest(input: ManifestInput): ImageManifest {
  if (input.files.some((file) => file.path === manifestFileName)) {
    throw new Error(
      `${manifestFileName} is reserved for the image manifest; the function may not ship a file of that name`,
    );
  }
  if (!input.files.some((file) => file.path === input.entrypoint)) {
    throw new Error(`the entrypoint ${input.entrypoint} is not one of the image's files`);
  }
  const manifest: ImageManifest = {
    schemaVersion: 1,
    image: input.image,
    digest: digestOfFiles(input.files),
    function: input.function,
    entrypoint: input.entrypoint,
    createdAt: input.createdAt.toISOString(),
    files: input.files.map((file) => file.path).sort(compareStrings),
    sizeBytes: input.files.reduce((total, file) => total + file.size, 0),
  };
  if (input.lang !== undefined) manifest.lang = input.lang;
  return manifest;
}

const safePath = z.string().refine(isSafeRelativePath, 'a relative path inside the image');

export const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  image: z.string().min(1),
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  function: z.string().min(1),
  entrypoint: safePath,
  createdAt: z.iso.datetime(),
  files: z.array(safePath),
  sizeBytes: z.number().int().min(0).optional(),
  lang: z.string().optional(),
});

/** Validates a manifest read from disk; throws on anything malformed. */
export function parseManifest(json: unknown): ImageManifest {
  return manifestSchema.parse(json) as ImageManifest;
}
