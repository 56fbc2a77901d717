// The pipeline's own long-running parts (gateway, connector) as background processes that
// outlive `npm run up`, recorded like the services so `npm run down` stops exactly those.
import { join } from 'node:path';
import { request } from 'undici';
import { CdnfaasError } from '../../../lib/errors.ts';
import type { SystemConfig } from '../../../system/config.ts';
import { projectRoot } from '../../../system/config.ts';
import { waitUntilHealthy, type HealthResult } from '../health.ts';
import {
  isRecordedProcessRunning,
  readRecord,
  removeRecord,
  spawnDetached,
  stopProcess,
  writeRecord,
  type StopOutcome,
} from '../processes.ts';

export type BackgroundName = 'gateway' | 'connector';

export interface BackgroundSpec {
  name: BackgroundName;
  /** Arguments of the `cdnfaas` command that runs it in the foreground. */
  args: string[];
  healthUrl: string;
  env?: NodeJS.ProcessEnv;
}

export function backgroundPaths(config: SystemConfig, name: BackgroundName) {
  const dir = join(config.home, name);
  return {
    dir,
    logFile: join(dir, `${name}.log`),
    pidFile: join(dir, `${name}.pid`),
    recordFile: join(dir, `${name}.started-by-cdnfaas.json`),
  };
}

export async function httpHealth(url: string): Promise<HealthResult> {
  try {
    const response = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
    await response.body.dump();
    return { healthy: response.statusCode === 200, detail: `HTTP ${response.statusCode}` };
  } catch (error) {
    return { healthy: false, detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** Starts the process unless the one cdnfaas started is still running; waits for its health URL. */
export async function startBackground(
  config: SystemConfig,
  spec: BackgroundSpec,
): Promise<'started' | 'running'> {
  const paths = backgroundPaths(config, spec.name);
  const existing = readRecord(paths);
  if (existing && isRecordedProcessRunning(existing)) {
    await waitUntilHealthy({
      service: spec.name,
      check: () => httpHealth(spec.healthUrl),
      logFile: paths.logFile,
    });
    return 'running';
  }
  if ((await httpHealth(spec.healthUrl)).healthy) {
    // Something we did not start answers there: talking to it would deploy into a stranger.
    throw new CdnfaasError(
      'PORT_IN_USE',
      `${spec.healthUrl} already answers, but not from a ${spec.name} this cdnfaas home started`,
      {
        hint: `stop what listens there, or run with another port (GATEWAY_PORT for the gateway)`,
      },
    );
  }
  const cli = join(projectRoot, 'bin', 'cdnfaas.mjs');
  // CDNFAAS_CPU_PROF=<dir>: a V8 CPU profile of the process, written there when it exits (to see
  // where a benchmark's CPU goes; NODE_OPTIONS may not carry --cpu-prof).
  const profile = process.env.CDNFAAS_CPU_PROF;
  const args = [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), cli, ...spec.args];
  const child = await spawnDetached({
    command: process.execPath,
    args,
    cwd: projectRoot,
    // The connector's librdkafka calls wait in libuv's thread pool (a consume waits for records):
    // one per function plus its commits would fill the default four threads.
    env: spec.name === 'connector' ? { UV_THREADPOOL_SIZE: '16', ...spec.env } : spec.env,
    logFile: paths.logFile,
    installHint: 'Node.js runs cdnfaas itself; reinstall Node 20',
  });
  writeRecord(paths, {
    service: spec.name,
    pid: child.pid,
    startedAt: new Date().toISOString(),
    version: 'cdnfaas',
    address: spec.healthUrl,
    command: args,
    marker: spec.args[0]!,
    logFile: paths.logFile,
  });
  await waitUntilHealthy({
    service: spec.name,
    check: () => httpHealth(spec.healthUrl),
    logFile: paths.logFile,
    process: child,
  });
  return 'started';
}

/** Stops the process cdnfaas started (SIGTERM lets it drain), and nothing else. */
export async function stopBackground(config: SystemConfig, name: BackgroundName): Promise<StopOutcome> {
  const paths = backgroundPaths(config, name);
  const record = readRecord(paths);
  if (record === undefined) return 'not-running';
  const outcome = isRecordedProcessRunning(record) ? await stopProcess(record.pid, 30_000) : 'not-running';
  removeRecord(paths);
  return outcome;
}
