// The marker written after a download or build completed, so a half-finished one is never used.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

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

export function writeObtained(file: string, marker: ObtainedMarker): void {
  writeFileSync(file, `${JSON.stringify(marker, null, 2)}\n`);
}
