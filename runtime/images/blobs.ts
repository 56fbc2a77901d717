import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import type { FileEntry } from './digest.ts';

/**
 * File contents of the store, once each: `<root>/blobs/sha256/<hex>`, read-only. Image files are
 * hard links to them, so versions of a function that share files (a 45 MB ONNX runtime) store
 * them once, and no image file can be changed in place.
 */
function blobsDir(root: string): string {
  return join(root, 'blobs', 'sha256');
}

/** Moves each staged file into the blob store (or drops it when the blob exists) and links it back. */
export function linkIntoBlobs(root: string, stagingDir: string, files: readonly FileEntry[]): void {
  const dir = blobsDir(root);
  mkdirSync(dir, { recursive: true });
  for (const { path, sha256 } of files) {
    const staged = join(stagingDir, path);
    const blob = join(dir, sha256);
    if (existsSync(blob)) unlinkSync(staged);
    else {
      renameSync(staged, blob);
      chmodSync(blob, 0o444);
    }
    linkSync(blob, staged);
  }
}

/** Deletes blobs no image links to any more (a link count of one: the blob itself). */
export function collectUnusedBlobs(root: string): void {
  const dir = blobsDir(root);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const blob = join(dir, name);
    if (statSync(blob).nlink <= 1) unlinkSync(blob);
  }
}
