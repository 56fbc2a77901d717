import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';

export interface BasicAuthCredentials {
  user: string;
  password: string;
}

export interface CredentialFiles {
  dir: string;
  userFile: string;
  passwordFile: string;
}

/** Where the gateway's basic-auth credentials live: OpenFaaS's file names, under the cdnfaas home. */
export function credentialFiles(home: string): CredentialFiles {
  const dir = join(home, 'credentials');
  return { dir, userFile: join(dir, 'basic-auth-user'), passwordFile: join(dir, 'basic-auth-password') };
}

/**
 * Reads the credentials, creating them on first use: user `admin` and a random password, in
 * files only the owner can read. The password is never logged.
 */
export function ensureCredentials(
  home: string,
): BasicAuthCredentials & { files: CredentialFiles; created: boolean } {
  const files = credentialFiles(home);
  let created = false;
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.userFile)) {
    writeFileSync(files.userFile, 'admin\n', { mode: 0o600 });
    created = true;
  }
  if (!existsSync(files.passwordFile)) {
    writeFileSync(files.passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    created = true;
  }
  chmodSync(files.userFile, 0o600);
  chmodSync(files.passwordFile, 0o600);
  const user = readFileSync(files.userFile, 'utf8').trim();
  const password = readFileSync(files.passwordFile, 'utf8').trim();
  if (user.length === 0 || password.length === 0) {
    throw new CdnfaasError('CONFIG_INVALID', `the gateway credentials in ${files.dir} are empty`, {
      hint: `delete ${files.userFile} and ${files.passwordFile}; the gateway creates new ones at its next start`,
    });
  }
  return { user, password, files, created };
}

function equalSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compared in constant time over the longer length, so the length does not leak either.
  const size = Math.max(left.length, right.length);
  const paddedLeft = Buffer.alloc(size);
  const paddedRight = Buffer.alloc(size);
  left.copy(paddedLeft);
  right.copy(paddedRight);
  return timingSafeEqual(paddedLeft, paddedRight) && left.length === right.length;
}

/** True when an Authorization header carries exactly these basic-auth credentials. */
export function checkBasicAuth(header: string | undefined, credentials: BasicAuthCredentials): boolean {
  if (header === undefined) return false;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = equalSecret(decoded.slice(0, colon), credentials.user);
  const passwordOk = equalSecret(decoded.slice(colon + 1), credentials.password);
  return userOk && passwordOk;
}
