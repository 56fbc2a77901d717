// Prometheus and AlertManager as managed services: Debian's packages (/usr/bin/prometheus,
// /usr/bin/prometheus-alertmanager), configuration written under the cdnfaas home at each start,
// started detached and recorded like Kafka and InfluxDB. Optional: when a binary is missing they
// report "unavailable: not installed" and the gateway evaluates APIHighInvocationRate itself.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { ensureCredentials } from '../../runtime/gateway/credentials.ts';
import type { SystemConfig } from '../../system/config.ts';
import type { HealthResult } from './health.ts';
import type { RunPaths } from './layout.ts';
import type { ManagedService } from './managed.ts';
import {
  alertmanagerBinary,
  openfaasTimings,
  prometheusBinary,
  renderAlertRules,
  renderAlertmanagerConfig,
  renderPrometheusConfig,
  type AlertTimings,
} from './monitoring-files.ts';
import { spawnDetached, writeRecord, type ServiceRecord } from './processes.ts';

export interface MonitoringOptions {
  /** Shorter windows for tests; default OpenFaaS's. */
  timings?: Partial<AlertTimings>;
  /** The gateway to scrape and to post alerts to; default 127.0.0.1:gateway.port. */
  gatewayPort?: number;
  /** Overrides the binary (tests point it at a missing file). */
  binary?: string;
  env?: Record<string, string | undefined>;
}

export function monitoringPaths(home: string, name: 'prometheus' | 'alertmanager') {
  const dir = join(home, name);
  const run: RunPaths = {
    dir,
    logFile: join(dir, `${name}.log`),
    pidFile: join(dir, `${name}.pid`),
    recordFile: join(dir, `${name}.started-by-cdnfaas.json`),
  };
  return {
    run,
    config: join(dir, name === 'prometheus' ? 'prometheus.yml' : 'alertmanager.yml'),
    rules: join(dir, 'alert.rules.yml'),
    data: join(dir, 'data'),
  };
}

/** Both answer /-/ready with 200 once they serve. */
export async function readyHealth(url: string): Promise<HealthResult> {
  try {
    const response = await request(`${url}/-/ready`, { headersTimeout: 2000, bodyTimeout: 2000 });
    await response.body.dump();
    return { healthy: response.statusCode === 200, detail: `HTTP ${response.statusCode}` };
  } catch (error) {
    return { healthy: false, detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** `prometheus, version 2.42.0+ds (branch: ...)` -> 2.42.0+ds. */
export function parseVersion(output: string): string | undefined {
  return /version (\S+)/.exec(output)?.[1];
}

function binaryVersion(binary: string): string | undefined {
  try {
    return parseVersion(
      execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: 'pipe', timeout: 10_000 }),
    );
  } catch (error) {
    // Both print their version to stderr.
    const stderr = (error as { stderr?: string }).stderr;
    return stderr ? parseVersion(String(stderr)) : undefined;
  }
}

type MonitoringName = 'prometheus' | 'alertmanager';

function createMonitoringService(
  name: MonitoringName,
  config: SystemConfig,
  options: MonitoringOptions,
  launch: (paths: ReturnType<typeof monitoringPaths>, timings: AlertTimings) => string[],
): ManagedService {
  const binary = options.binary ?? (name === 'prometheus' ? prometheusBinary : alertmanagerBinary);
  const port = name === 'prometheus' ? config.prometheus.port : config.alertmanager.port;
  const paths = monitoringPaths(config.home, name);
  const url = `http://127.0.0.1:${port}`;
  const timings = { ...openfaasTimings, ...options.timings };
  let version: string | undefined;
  const knownVersion = (): string | undefined =>
    (version ??= existsSync(binary) ? binaryVersion(binary) : undefined);
  return {
    name,
    address: url,
    external: false,
    externalVariable: name === 'prometheus' ? 'PROMETHEUS_PORT' : 'ALERTMANAGER_PORT',
    portKeys: `${name}.port`,
    ports: [{ host: '127.0.0.1', port, role: 'HTTP API' }],
    run: paths.run,
    version: 'debian',
    optional: true,
    unavailable: () =>
      existsSync(binary)
        ? undefined
        : `not installed (${binary}; apt-get install ${name === 'prometheus' ? 'prometheus' : 'prometheus-alertmanager'})`,
    health: () => readyHealth(url),
    async start(onProgress) {
      mkdirSync(paths.data, { recursive: true });
      const args = launch(paths, timings);
      onProgress({
        service: name,
        kind: 'step',
        message: `starting ${name} on ${url} (log: ${paths.run.logFile})`,
      });
      const child = await spawnDetached({
        command: binary,
        args,
        cwd: paths.run.dir,
        env: options.env,
        logFile: paths.run.logFile,
        installHint: `apt-get install ${name === 'prometheus' ? 'prometheus' : 'prometheus-alertmanager'}`,
      });
      const record: ServiceRecord = {
        service: name,
        pid: child.pid,
        startedAt: new Date().toISOString(),
        version: knownVersion() ?? 'unknown',
        address: url,
        command: [binary, ...args],
        marker: paths.config,
        logFile: paths.run.logFile,
      };
      writeRecord(paths.run, record);
      return { process: child, record };
    },
    async provision() {
      return name === 'prometheus'
        ? `scraping the gateway and the connector, rule APIHighInvocationRate (${timings.rateWindow} rate, for ${timings.for})`
        : `posting alerts to the gateway's /system/alert (repeat every ${timings.repeatInterval})`;
    },
    async knownVersion() {
      return knownVersion();
    },
  };
}

export function createPrometheusService(
  config: SystemConfig,
  options: MonitoringOptions = {},
): ManagedService {
  const gatewayPort = options.gatewayPort ?? config.gateway.port;
  return createMonitoringService('prometheus', config, options, (paths, timings) => {
    writeFileSync(paths.rules, renderAlertRules(timings));
    writeFileSync(
      paths.config,
      renderPrometheusConfig({
        gatewayTarget: `127.0.0.1:${gatewayPort}`,
        connectorTarget: `127.0.0.1:${config.connector.port}`,
        alertmanagerTarget: `127.0.0.1:${config.alertmanager.port}`,
        rulesFile: paths.rules,
        timings,
      }),
    );
    return [
      `--config.file=${paths.config}`,
      `--storage.tsdb.path=${paths.data}`,
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=127.0.0.1:${config.prometheus.port}`,
    ];
  });
}

export function createAlertmanagerService(
  config: SystemConfig,
  options: MonitoringOptions = {},
): ManagedService {
  const gatewayPort = options.gatewayPort ?? config.gateway.port;
  return createMonitoringService('alertmanager', config, options, (paths, timings) => {
    // The gateway's credentials: the user in the file (not secret), the password by its file only.
    const credentials = ensureCredentials(config.home);
    writeFileSync(
      paths.config,
      renderAlertmanagerConfig({
        gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
        user: credentials.user,
        passwordFile: credentials.files.passwordFile,
        timings,
      }),
      { mode: 0o600 },
    );
    return [
      `--config.file=${paths.config}`,
      `--storage.path=${paths.data}`,
      `--web.listen-address=127.0.0.1:${config.alertmanager.port}`,
      // One instance: no gossip cluster (it would bind 9094).
      '--cluster.listen-address=',
    ];
  });
}
