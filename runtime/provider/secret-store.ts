import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import { assertSecretName } from './names.ts';

/**
 * OpenFaaS secrets as files, one per secret, readable by the owner only. Values are written and
 * copied, never read back through the API and never logged.
 */
export class SecretStore {
  constructor(readonly dir: string) {}

  list(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).sort();
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  /** Creates a secret; CONFLICT when it exists (faas-cli secret create). */
  create(name: string, value: Buffer): void {
    if (this.has(name)) {
      throw new CdnfaasError('CONFLICT', `secret ${name} already exists`, {
        hint: `update it with: faas-cli secret update ${name}`,
      });
    }
    this.write(name, value);
  }

  /** Replaces a secret's value; NOT_FOUND when it does not exist (faas-cli secret update). */
  update(name: string, value: Buffer): void {
    if (!this.has(name)) throw notFound(name);
    this.write(name, value);
  }

  remove(name: string): void {
    if (!this.has(name)) throw notFound(name);
    rmSync(this.path(name));
  }

  /**
   * One digest of the named secrets' names and values, so that a function update after
   * `faas-cli secret update` rolls the replicas onto the new value. The values never leave this
   * method. INVALID_INPUT names a missing secret.
   */
  digest(names: readonly string[]): string {
    this.requireAll(names);
    return secretsDigest(
      [...new Set(names)].sort().map((name) => ({ name, value: readFileSync(this.path(name)) })),
    );
  }

  /** Copies the named secrets into `target` (a replica's secrets folder); INVALID_INPUT names a missing one. */
  grant(names: readonly string[], target: string): void {
    this.requireAll(names);
    mkdirSync(target, { recursive: true, mode: 0o700 });
    for (const name of names) {
      const destination = join(target, name);
      copyFileSync(this.path(name), destination);
      chmodSync(destination, 0o600);
    }
  }

  private requireAll(names: readonly string[]): void {
    const missing = names.filter((name) => !this.has(name));
    if (missing.length > 0) {
      throw new CdnfaasError('INVALID_INPUT', `unable to find secret: ${missing.join(', ')}`, {
        hint: `create it first: faas-cli secret create ${missing[0]} --from-file <file>`,
        context: { missing },
      });
    }
  }

  private write(name: string, value: Buffer): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileSync(this.path(name), value, { mode: 0o600 });
    chmodSync(this.path(name), 0o600);
  }

  private path(name: string): string {
    return join(this.dir, assertSecretName(name));
  }
}

function notFound(name: string): CdnfaasError {
  return new CdnfaasError('NOT_FOUND', `unable to find secret: ${name}`, {
    hint: 'list secrets with: faas-cli secret list',
  });
}

/** sha256 over each secret's name and value, length-prefixed so that no two lists collide. */
export function secretsDigest(secrets: readonly { name: string; value: Buffer }[]): string {
  const hash = createHash('sha256');
  for (const { name, value } of secrets) {
    hash.update(`${Buffer.byteLength(name)}:${name}:${value.length}:`);
    hash.update(value);
  }
  return `sha256:${hash.digest('hex')}`;
}
