// Obtaining Kafka: its jars from Maven Central through mvn, cached once per version.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { kafkaPaths } from './layout.ts';
import { kafkaVersionFromJars, mavenCopyArgs, renderKafkaLog4j2, renderKafkaPom } from './kafka-files.ts';
import { withFileLock } from './lock.ts';
import { formatCommand } from './log-tail.ts';
import { installObtained, obtainFailed, readObtained } from './obtained.ts';
import type { ProgressListener } from './progress.ts';
import { runLogged } from './run-command.ts';

export interface ObtainedKafka {
  version: string;
  libsDir: string;
  log4j2File: string;
  /** False when the cache already had it. */
  fresh: boolean;
}

export interface ObtainOptions {
  cacheDir: string;
  home: string;
  version: string;
  onProgress: ProgressListener;
  env?: Record<string, string | undefined>;
}

const mvn = process.platform === 'win32' ? 'mvn.cmd' : 'mvn';

/** Obtains it once per cache; a second command obtaining the same version at once waits for the first. */
export function obtainKafka(options: ObtainOptions): Promise<ObtainedKafka> {
  const lockFile = `${kafkaPaths(options.cacheDir, options.home, options.version).cache}.lock`;
  return withFileLock(lockFile, { timeoutMs: 60 * 60_000 }, () => obtainKafkaUnlocked(options));
}

async function obtainKafkaUnlocked(options: ObtainOptions): Promise<ObtainedKafka> {
  const paths = kafkaPaths(options.cacheDir, options.home, options.version);
  const result = { version: options.version, libsDir: paths.libs, log4j2File: paths.log4j2 };
  if (readObtained(paths.obtainedMarker)?.version === options.version && existsSync(paths.libs)) {
    if (!existsSync(paths.log4j2)) writeFileSync(paths.log4j2, renderKafkaLog4j2());
    return { ...result, fresh: false };
  }
  mkdirSync(paths.cache, { recursive: true });
  writeFileSync(paths.pom, renderKafkaPom(options.version));
  writeFileSync(paths.log4j2, renderKafkaLog4j2());
  // Resolve into a scratch folder and rename at the end, so an interrupted download is never mistaken for a complete one.
  const scratch = `${paths.libs}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  const args = [...mavenCopyArgs(scratch), '-f', paths.pom];
  options.onProgress({
    service: 'kafka',
    kind: 'step',
    message: `obtaining Kafka ${options.version} jars from Maven Central (mvn, first run only) into ${paths.cache}`,
  });
  const started = Date.now();
  await runLogged({
    command: mvn,
    args,
    cwd: paths.cache,
    env: options.env,
    logFile: paths.obtainLog,
    what: `resolving Kafka ${options.version} from Maven Central`,
    timeoutMs: 20 * 60_000,
    onHeartbeat: (elapsed) =>
      options.onProgress({
        service: 'kafka',
        kind: 'step',
        message: `still resolving jars (${Math.round(elapsed / 1000)} s)`,
      }),
    installHint:
      'install Apache Maven 3.6+ (Debian: apt-get install maven) and make sure `mvn` is on the PATH',
  });
  const jars = readdirSync(scratch);
  const found = kafkaVersionFromJars(jars);
  if (found !== options.version) {
    throw obtainFailed(
      paths,
      `mvn finished but ${scratch} holds no kafka_2.13-${options.version}.jar (found ${found ?? 'none'})`,
    );
  }
  installObtained(scratch, paths.libs, paths.obtainedMarker, {
    version: options.version,
    command: formatCommand(mvn, args),
  });
  options.onProgress({
    service: 'kafka',
    kind: 'done',
    message: `obtained Kafka ${options.version} (${jars.length} jars) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  });
  return { ...result, fresh: true };
}
