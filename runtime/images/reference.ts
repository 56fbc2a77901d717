import { CdnfaasError } from '../../lib/errors.ts';

/**
 * Image references as OpenFaaS and Docker spell them: `[registry/]path[:tag][@sha256:hex]`.
 * The store never turns a reference into a file path (images live under their digest), but it
 * still rejects anything that is not a plain reference, so a deploy request cannot smuggle in
 * `../`, an absolute path or control characters that would end up in logs and file names.
 */
export interface ImageReference {
  /**
   * Repository name including any registry, in Docker's familiar form: `cdnfaas/predict`,
   * `localhost:5000/echo`; `docker.io/functions/alpine` is `functions/alpine` and
   * `docker.io/library/alpine` is `alpine`, so every spelling of one image finds the same tag.
   */
  name: string;
  /** The tag; `latest` when the reference names none. */
  tag: string;
  /** `sha256:<hex>` when the reference pins a digest. */
  digest?: string;
  /** The normalised form: `name:tag`, or `name@digest` when a digest is pinned. */
  ref: string;
}

const maxNameLength = 255;
const registryPattern =
  /^(?:localhost|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+|[a-zA-Z0-9-]+:\d+|[a-zA-Z0-9.-]+:\d+)$/;
const pathComponentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

function invalid(input: string, reason: string): CdnfaasError {
  return new CdnfaasError('INVALID_INPUT', `image reference ${JSON.stringify(input)} is invalid: ${reason}`, {
    hint: 'use a reference like cdnfaas/predict:0.2.0 (lowercase name components separated by "/", an optional :tag)',
    context: { image: input },
  });
}

/** Reasons that name the trick rather than just the broken grammar. */
function describeTrick(input: string): string | undefined {
  if (input.length === 0) return 'it is empty';
  if (/[\s\p{Cc}]/u.test(input)) return 'it contains whitespace or control characters';
  if (input.includes('\\')) return 'it contains a backslash';
  if (input.startsWith('/') || input.startsWith('~')) return 'it looks like a file path, not an image name';
  if (input.split(/[/:@]/).some((part) => part === '..' || part === '.'))
    return 'it contains a "." or ".." path component';
  if (input.includes('//')) return 'it contains an empty path component';
  return undefined;
}

/** Docker Hub's names for itself: references on it are stored without them. */
const dockerHubRegistries = new Set(['docker.io', 'index.docker.io']);
const officialNamespace = 'library/';

/**
 * Docker's familiar name (distribution/reference FamiliarName): no Docker Hub registry, and no
 * `library/` for an official image. `docker.io/library/alpine` and `alpine` are one image.
 */
function familiarName(registry: string | undefined, path: string): string {
  if (registry !== undefined && !dockerHubRegistries.has(registry)) return `${registry}/${path}`;
  if (path.startsWith(officialNamespace) && !path.slice(officialNamespace.length).includes('/')) {
    return path.slice(officialNamespace.length);
  }
  return path;
}

function splitRegistry(name: string): { registry?: string; path: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { path: name };
  const first = name.slice(0, slash);
  // Docker's rule: the first component is a registry when it has a dot, a port or is localhost.
  if (first.includes('.') || first.includes(':') || first === 'localhost') {
    return { registry: first, path: name.slice(slash + 1) };
  }
  return { path: name };
}

/** Parses and validates an image reference; throws INVALID_INPUT naming the reference and the problem. */
export function parseImageReference(input: string): ImageReference {
  const trick = describeTrick(input);
  if (trick !== undefined) throw invalid(input, trick);

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest))
      throw invalid(input, 'the digest must be sha256: followed by 64 lowercase hex digits');
  }

  // A colon after the last slash separates the tag; one before it belongs to a registry port.
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  const name = colon >= 0 ? rest.slice(0, colon) : rest;
  const tag = colon >= 0 ? rest.slice(colon + 1) : 'latest';

  if (name.length === 0) throw invalid(input, 'the name is empty');
  if (name.length > maxNameLength)
    throw invalid(input, `the name is longer than ${maxNameLength} characters`);
  if (!tagPattern.test(tag)) {
    throw invalid(
      input,
      `the tag ${JSON.stringify(tag)} must be 1-128 of [A-Za-z0-9_.-], not starting with "." or "-"`,
    );
  }
  const { registry, path } = splitRegistry(name);
  if (registry !== undefined && !registryPattern.test(registry)) {
    throw invalid(input, `the registry ${JSON.stringify(registry)} is not a host name with an optional port`);
  }
  for (const component of path.split('/')) {
    if (!pathComponentPattern.test(component)) {
      throw invalid(
        input,
        `the name component ${JSON.stringify(component)} must be lowercase letters and digits, separated by ".", "_", "__" or "-"`,
      );
    }
  }

  const familiar = familiarName(registry, path);
  const ref = digest === undefined ? `${familiar}:${tag}` : `${familiar}@${digest}`;
  return digest === undefined ? { name: familiar, tag, ref } : { name: familiar, tag, digest, ref };
}

/**
 * True when the reference names a tag that moves (`latest`, or no tag at all): deploying it is
 * allowed, as OpenFaaS allows it, but a rollback cannot name the earlier content by it.
 */
export function isMutableReference(reference: ImageReference): boolean {
  return reference.digest === undefined && reference.tag === 'latest';
}

/** True when the reference is valid; for callers that branch rather than report. */
export function isValidImageReference(input: string): boolean {
  try {
    parseImageReference(input);
    return true;
  } catch {
    return false;
  }
}
