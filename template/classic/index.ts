import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exitCleanly, graceAfter, readSettingsOrExit, replicaLog } from '../node20-ts/lifecycle.ts';
import { formatDuration, readWatchdogConfig, type WatchdogConfig } from './config.ts';
import { secretsLocation } from './secrets.ts';
import { createWatchdogServer } from './server.ts';

/**
 * The classic watchdog of the local runtime: `node index.mjs` in an image of lang `classic`.
 * Each call forks `fprocess` in the function folder (the handler folder's files, beside this
 * file in function/), body on stdin, stdout as the answer. In a container the real classic
 * watchdog does this job (Dockerfile); this server behaves as it does, with the local runtime's
 * port, health path and JSON log lines. SIGTERM: health answers 503, calls in flight finish,
 * exit 0.
 */

const config: WatchdogConfig = readSettingsOrExit(() => readWatchdogConfig(process.env), 'invalid settings');
const log = replicaLog(config.functionName, config.replicaId);

/** The function folder of an image; the image folder itself when the handler folder was empty. */
function functionDir(): string {
  const override = process.env.CDNFAAS_FUNCTION_DIR;
  if (override) return override;
  const dir = fileURLToPath(new URL('./function/', import.meta.url));
  return existsSync(dir) ? dir : fileURLToPath(new URL('./', import.meta.url));
}

const server = createWatchdogServer({ config, log, cwd: functionDir(), env: process.env });

exitCleanly({
  log,
  server,
  graceMs: graceAfter(Math.max(config.execTimeoutMs, config.writeTimeoutMs)),
  onGraceOver: () => server.killAll(),
  what: 'the watchdog',
});

for (const name of config.unsupported)
  log.warn(`${name} is not supported by the local classic watchdog and is ignored`, { setting: name });
const secrets = secretsLocation(process.env);
if (secrets.kind === 'openfaas') log.info('secrets mounted', { dir: secrets.dir });
if (secrets.kind === 'local')
  log.warn('secrets not at the OpenFaaS path', { dir: secrets.dir, reason: secrets.reason });

try {
  const port = await server.start();
  log.info(
    `Timeouts: read: ${formatDuration(config.readTimeoutMs)} write: ${formatDuration(config.writeTimeoutMs)} hard: ${formatDuration(config.execTimeoutMs)} health: ${formatDuration(config.healthcheckIntervalMs)}.`,
  );
  log.info(`Listening on port: ${port}`, { port, host: config.host, fprocess: config.fprocess });
} catch (error) {
  log.fatal('the watchdog failed to start', { err: error });
  process.exit(1);
}
