import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import { describeFiles, type FileEntry } from './digest.ts';
import { collectUnusedBlobs, linkIntoBlobs } from './blobs.ts';
import { withStoreLock } from './lock.ts';
import { buildManifest, parseManifest } from './manifest.ts';
import { parseImageReference } from './reference.ts';
import { emptyIndex, readIndex, writeIndex, type StoreIndex } from './store-index.ts';
import { manifestFileName, type ImageManifest, type ImageResolver, type ResolvedImage } from './types.ts';

/**
 * The local image store. Layout under its root (`<cdnfaas home>/images`):
 *   index.json              tags: `name:tag` -> digest
 *   sha256/<hex>/           one immutable directory per image, with manifest.json
 *   blobs/sha256/<hex>      file contents; image files are read-only hard links to them, so
 *                           versions that share files (a 45 MB ONNX runtime) store them once
 *   staging/<id>/           builds in progress
 */

export interface ImageMetadata {
  function: string;
  entrypoint: string;
  lang?: string;
}

export type PutOutcome = 'created' | 'tagged' | 'unchanged' | 'replaced';

export interface PutResult {
  ref: string;
  digest: string;
  /** created: new content; tagged: content already stored under another tag; unchanged: tag already
   *  had this content; replaced: the tag moved to new content (with force). */
  outcome: PutOutcome;
  previousDigest?: string;
  manifest: ImageManifest;
}

export interface ImageSummary {
  ref: string;
  digest: string;
  function: string;
  createdAt: string;
  taggedAt: string;
  sizeBytes: number;
}

export interface RemoveResult {
  ref: string;
  digest: string;
  /** True when no other tag used the content, so its directory was deleted. */
  contentRemoved: boolean;
}

export class LocalImageStore implements ImageResolver {
  readonly root: string;
  private indexCache: { ino: number; mtimeMs: number; size: number; index: StoreIndex } | undefined;
  private readonly manifestCache = new Map<string, ImageManifest>();

  constructor(root: string) {
    this.root = root;
  }

  /** A fresh directory inside the store to assemble an image in; same filesystem as the blobs. */
  createStagingDir(): string {
    const dir = join(this.root, 'staging', randomUUID());
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Resolves `name:tag` or `name@sha256:...` to its image directory; undefined when the store
   * does not hold it. Throws INVALID_INPUT for a malformed reference.
   */
  resolve(ref: string): ResolvedImage | undefined {
    const parsed = parseImageReference(ref);
    const digest = parsed.digest ?? this.index().tags[parsed.ref]?.digest;
    if (digest === undefined) return undefined;
    const dir = this.imageDir(digest);
    const manifest = this.manifest(digest);
    return manifest === undefined ? undefined : { ref: parsed.ref, digest, dir, manifest };
  }

  list(): ImageSummary[] {
    return Object.entries(this.index().tags)
      .map(([ref, tag]) => {
        const manifest = this.manifest(tag.digest);
        return {
          ref,
          digest: tag.digest,
          function: manifest?.function ?? '?',
          createdAt: manifest?.createdAt ?? tag.taggedAt,
          taggedAt: tag.taggedAt,
          sizeBytes: manifest?.sizeBytes ?? 0,
        };
      })
      .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  }

  /**
   * Stores the files of `stagingDir` as the image `ref`. The same content under the same tag is a
   * no-op; different content under an existing tag is refused (CONFLICT) unless `force`.
   * The staging directory is consumed either way.
   */
  async put(
    ref: string,
    stagingDir: string,
    metadata: ImageMetadata,
    options: { force?: boolean; now?: Date } = {},
  ): Promise<PutResult> {
    const parsed = parseImageReference(ref);
    if (parsed.digest !== undefined) {
      rmSync(stagingDir, { recursive: true, force: true });
      throw new CdnfaasError('INVALID_INPUT', `cannot build ${ref}: a build names a tag, not a digest`, {
        hint: 'use name:tag as the image in stack.yml',
      });
    }
    try {
      const files = await describeFiles(stagingDir);
      const manifest = buildManifest({
        image: parsed.ref,
        ...metadata,
        files,
        createdAt: options.now ?? new Date(),
      });
      return await withStoreLock(this.root, async () =>
        this.commit(parsed.ref, stagingDir, files, manifest, options.force ?? false),
      );
    } finally {
      rmSync(stagingDir, { recursive: true, force: true });
    }
  }

  /** Removes a tag; deletes the content too when no other tag uses it. */
  async remove(ref: string): Promise<RemoveResult> {
    const parsed = parseImageReference(ref);
    return withStoreLock(this.root, async () => {
      const index = this.index();
      const tag = index.tags[parsed.ref];
      if (tag === undefined) {
        throw new CdnfaasError('NOT_FOUND', `image ${parsed.ref} is not in the store`, {
          hint: 'npx cdnfaas images lists what it holds',
        });
      }
      delete index.tags[parsed.ref];
      writeIndex(this.root, index);
      const stillUsed = Object.values(index.tags).some((other) => other.digest === tag.digest);
      if (!stillUsed) {
        rmSync(this.imageDir(tag.digest), { recursive: true, force: true });
        this.manifestCache.delete(tag.digest);
        collectUnusedBlobs(this.root);
      }
      return { ref: parsed.ref, digest: tag.digest, contentRemoved: !stillUsed };
    });
  }

  /**
   * Deletes content no tag names (left behind by --force or remove), except the digests in
   * `keep` (what replicas still run). Returns the digests deleted.
   */
  async prune(keep: Iterable<string> = []): Promise<string[]> {
    const kept = new Set(keep);
    return withStoreLock(this.root, async () => {
      const tagged = new Set(Object.values(this.index().tags).map((tag) => tag.digest));
      const contentDir = join(this.root, 'sha256');
      const removed: string[] = [];
      for (const hex of existsSync(contentDir) ? readdirSync(contentDir) : []) {
        const digest = `sha256:${hex}`;
        if (tagged.has(digest) || kept.has(digest)) continue;
        rmSync(join(contentDir, hex), { recursive: true, force: true });
        this.manifestCache.delete(digest);
        removed.push(digest);
      }
      collectUnusedBlobs(this.root);
      return removed.sort();
    });
  }

  private commit(
    ref: string,
    stagingDir: string,
    files: FileEntry[],
    manifest: ImageManifest,
    force: boolean,
  ): PutResult {
    const index = this.index();
    const previous = index.tags[ref];
    if (previous?.digest === manifest.digest) {
      return {
        ref,
        digest: manifest.digest,
        outcome: 'unchanged',
        manifest: this.manifest(manifest.digest) ?? manifest,
      };
    }
    if (previous !== undefined && !force) {
      throw new CdnfaasError(
        'CONFLICT',
        `image ${ref} already exists with different content (${previous.digest}; this build is ${manifest.digest})`,
        {
          hint: 'images are immutable: give the new version a new tag in stack.yml, or pass --force to move the tag (running replicas keep the old content)',
          context: { image: ref, existing: previous.digest, built: manifest.digest },
        },
      );
    }
    const contentExisted = existsSync(this.imageDir(manifest.digest));
    if (!contentExisted) {
      linkIntoBlobs(this.root, stagingDir, files);
      writeFileSync(join(stagingDir, manifestFileName), `${JSON.stringify(manifest, null, 2)}\n`, {
        mode: 0o444,
      });
      mkdirSync(join(this.root, 'sha256'), { recursive: true });
      renameSync(stagingDir, this.imageDir(manifest.digest));
    }
    index.tags[ref] = { digest: manifest.digest, taggedAt: new Date().toISOString() };
    writeIndex(this.root, index);
    const outcome: PutOutcome = previous !== undefined ? 'replaced' : contentExisted ? 'tagged' : 'created';
    const result: PutResult = {
      ref,
      digest: manifest.digest,
      outcome,
      manifest: this.manifest(manifest.digest) ?? manifest,
    };
    if (previous !== undefined) result.previousDigest = previous.digest;
    return result;
  }

  private imageDir(digest: string): string {
    return join(this.root, 'sha256', digest.slice('sha256:'.length));
  }

  private manifest(digest: string): ImageManifest | undefined {
    const cached = this.manifestCache.get(digest);
    if (cached !== undefined) return cached;
    const file = join(this.imageDir(digest), manifestFileName);
    if (!existsSync(file)) return undefined;
    const manifest = parseManifest(JSON.parse(readFileSync(file, 'utf8')));
    this.manifestCache.set(digest, manifest);
    return manifest;
  }

  /** The tag index, re-read only when the file changed (resolve is called per deploy). */
  private index(): StoreIndex {
    const file = join(this.root, 'index.json');
    if (!existsSync(file)) return emptyIndex();
    const stat = statSync(file);
    const cached = this.indexCache;
    if (
      cached !== undefined &&
      cached.ino === stat.ino &&
      cached.mtimeMs === stat.mtimeMs &&
      cached.size === stat.size
    )
      return structuredClone(cached.index);
    const index = readIndex(this.root);
    this.indexCache = { ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size, index };
    return structuredClone(index);
  }
}

/** The store under a cdnfaas home (config.home). */
export function openImageStore(home: string): LocalImageStore {
  return new LocalImageStore(join(home, 'images'));
}
