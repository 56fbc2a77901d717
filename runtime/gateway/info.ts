import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';

/** faas-provider ProviderInfo and faas gateway GatewayInfo, as `faas-cli version` decodes them. */
export interface VersionInfo {
  commit_message?: string;
  sha: string;
  release: string;
}

export interface ProviderInfo {
  provider: string;
  version: VersionInfo;
  orchestration: string;
}

export interface GatewayInfo {
  provider: ProviderInfo;
  version: VersionInfo;
  arch: string;
}

export const providerName = 'cdnfaas-process';
export const orchestration = 'process';

/** Reads the release from package.json and the commit from git (absent outside a clone). */
export function readGatewayInfo(projectRoot: string): GatewayInfo {
  const release = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  let sha = 'unknown';
  try {
    sha = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    // Not a git clone (an unpacked release): the release number alone identifies it.
  }
  const version: VersionInfo = { sha, release };
  return {
    provider: { provider: providerName, version, orchestration },
    version,
    arch: arch() === 'x64' ? 'x86_64' : arch(),
  };
}
