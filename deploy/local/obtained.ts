// The marker written after a download or build completed, so a half-finished one is never used.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { CdnfaasError } from '../../lib/errors.ts';

export interface ObtainedMarker {
  version: string;
  obtainedAt: string;
  /** The command that obtained it, for people reading the cache. */
  command: string;
}

export function readObtained(file: string): ObtainedMarker | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ObtainedMarker;
  } catch {
    return undefined;
  }
}

/** Where a download or build keeps what it obtained and its log. */
export interface ObtainCache {
  cache: string;
  obtainLog: string;
}

/** The download or build ran but did not leave what was asked for. */
export function obtainFailed(cache: ObtainCache, message: string): CdnfaasError {
  return new CdnfaasError('OBTAIN_FAILED', message, {
    hint: `delete ${cache.cache} and run the command again; full log: ${cache.obtainLog}`,
  });
}

/**
 * Moves what was obtained from its scratch folder to `target`, then writes the marker: the marker
 * comes last, so a run cut short in between leaves no marker and is obtained again.
 */
export function installObtained(
  scratch: string,
  target: string,
  markerFile: string,
  marker: Omit<ObtainedMarker, 'obtainedAt'>,
): void {
  rmSync(target, { recursive: true, force: true });
  renameSync(scratch, target);
  const complete: ObtainedMarker = {
    version: marker.version,
    obtainedAt: new Date().toISOString(),
    command: marker.command,
  };
  writeFileSync(markerFile, `${JSON.stringify(complete, null, 2)}\n`);
}
