import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';

/** One file of an image: its path inside the image (POSIX, relative), size and content hash. */
export interface FileEntry {
  path: string;
  size: number;
  /** Hex sha256 of the content. */
  sha256: string;
}

/** A path is safe inside an image when it is relative, POSIX and never climbs out. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Code-unit order, the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The image digest: sha256 over every file's path, size and content hash, in path order. The
 * same files give the same digest wherever and whenever they were built.
 */
export function digestOfFiles(files: readonly FileEntry[]): string {
  const sorted = [...files].sort((a, b) => compareStrings(a.path, b.path));
  const hash = createHash('sha256');
  let previous: string | undefined;
  for (const file of sorted) {
    if (!isSafeRelativePath(file.path))
      throw new Error(`unsafe path in an image: ${JSON.stringify(file.path)}`);
    if (file.path === previous) throw new Error(`duplicate path in an image: ${file.path}`);
    if (!/^[a-f0-9]{64}$/.test(file.sha256))
      throw new Error(`not a sha256 hex digest for ${file.path}: ${file.sha256}`);
    hash.update(`${file.path}\0${file.size}\0${file.sha256}\n`);
    previous = file.path;
  }
  return `sha256:${hash.digest('hex')}`;
}

export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Every regular file under `dir`, as sorted relative POSIX paths; symbolic links are refused. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) found.push(relative);
    else {
      const kind = (await lstat(join(dir, relative))).isSymbolicLink()
        ? 'a symbolic link'
        : 'not a regular file';
      throw new CdnfaasError(
        'INVALID_INPUT',
        `${join(dir, relative)} is ${kind}; images hold regular files only`,
        {
          hint: 'replace the link with the file it points to',
        },
      );
    }
  }
  return found.sort(compareStrings);
}

/** Lists and hashes every file under `dir`. */
export async function describeFiles(dir: string): Promise<FileEntry[]> {
  const paths = await listFiles(dir);
  return Promise.all(paths.map(async (path) => ({ path, ...(await hashFile(join(dir, path))) })));
}
