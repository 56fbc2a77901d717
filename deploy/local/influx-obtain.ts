// Obtaining InfluxDB: influxd built from the Go module proxy with `go install`, cached once per version.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { influxdInstallArgs, influxdbModule, moduleVersionFromBuildInfo } from './influx-files.ts';
import { influxPaths } from './layout.ts';
import { withFileLock } from './lock.ts';
import { formatCommand } from './log-tail.ts';
import { installObtained, obtainFailed, readObtained } from './obtained.ts';
import type { ObtainOptions } from './kafka-obtain.ts';
import { capture, runLogged } from './run-command.ts';

export const goInstallHint =
  'install Go 1.21+ (https://go.dev/dl, or Debian: apt-get install golang-go) and make sure `go` is on the PATH';

export interface ObtainedInfluxd {
  version: string;
  binary: string;
  fresh: boolean;
}

/** Obtains it once per cache; a second command obtaining the same version at once waits for the first. */
export function obtainInfluxd(options: ObtainOptions): Promise<ObtainedInfluxd> {
  const lockFile = `${influxPaths(options.cacheDir, options.home, options.version).cache}.lock`;
  return withFileLock(lockFile, { timeoutMs: 60 * 60_000 }, () => obtainInfluxdUnlocked(options));
}

async function obtainInfluxdUnlocked(options: ObtainOptions): Promise<ObtainedInfluxd> {
  const paths = influxPaths(options.cacheDir, options.home, options.version);
  if (readObtained(paths.obtainedMarker)?.version === options.version && existsSync(paths.binary)) {
    return { version: options.version, binary: paths.binary, fresh: false };
  }
  mkdirSync(paths.cache, { recursive: true });
  // Build into a scratch folder and rename at the end, so an interrupted build is never mistaken for a complete one.
  const scratch = `${paths.bin}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  const args = influxdInstallArgs(options.version);
  options.onProgress({
    service: 'influxdb',
    kind: 'step',
    message: `building influxd ${options.version} with go install from the Go module proxy (first run only, about 2 min) into ${paths.cache}`,
  });
  const started = Date.now();
  const env = { ...options.env, GOBIN: scratch };
  await runLogged({
    command: 'go',
    args,
    cwd: paths.cache,
    env,
    logFile: paths.obtainLog,
    what: `building influxd ${options.version}`,
    timeoutMs: 45 * 60_000,
    onHeartbeat: (elapsed) =>
      options.onProgress({
        service: 'influxdb',
        kind: 'step',
        message: `still building influxd (${Math.round(elapsed / 1000)} s)`,
      }),
    installHint: goInstallHint,
  });
  const built = join(scratch, basename(paths.binary));
  const info = await capture('go', ['version', '-m', built], { env, installHint: goInstallHint });
  const found = moduleVersionFromBuildInfo(info.stdout, influxdbModule);
  if (found !== options.version) {
    throw obtainFailed(
      paths,
      `go install finished but ${built} is not ${influxdbModule} ${options.version} (found ${found ?? 'nothing'})`,
    );
  }
  installObtained(scratch, paths.bin, paths.obtainedMarker, {
    version: options.version,
    command: `GOBIN=${paths.bin} ${formatCommand('go', args)}`,
  });
  options.onProgress({
    service: 'influxdb',
    kind: 'done',
    message: `built influxd ${options.version} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  });
  return { version: options.version, binary: paths.binary, fresh: true };
}
