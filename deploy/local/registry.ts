// The services `cdnfaas services` manages and how they look right now; shared by up, down and status.
import { join } from 'node:path';
import { CdnfaasError } from '../../lib/errors.ts';
import type { SystemConfig } from '../../system/config.ts';
import { formatHostPort, type HostPort } from './address.ts';
import { createInfluxService } from './influx-service.ts';
import { createKafkaServices } from './kafka-service.ts';
import { withFileLock } from './lock.ts';
import type { ManagedService, ServiceOptions } from './managed.ts';
import {
  createAlertmanagerService,
  createPrometheusService,
  type MonitoringOptions,
} from './monitoring-service.ts';
import { conflictingPorts, decideStart, type StartDecision } from './plan.ts';
import { busyPorts } from './ports.ts';
import { isRecordedProcessRunning, readRecord, removeRecord, type ServiceRecord } from './processes.ts';
import { silentProgress, type ProgressEvent, type ProgressListener, type ServiceName } from './progress.ts';

export interface ServiceReport {
  service: ServiceName;
  address: string;
  /** running, external, stopped, unavailable, ... as shown by `services status`. */
  state: string;
  healthy: boolean;
  startedByCdnfaas: boolean;
  version?: string;
  pid?: number;
  logFile?: string;
  detail?: string;
}

export interface ServicesOptions {
  onProgress?: ProgressListener;
  /** Limit the command to these services (default: all three). */
  only?: ServiceName[];
  /** Per-service overrides, e.g. a version. */
  kafka?: ServiceOptions;
  influxdb?: ServiceOptions;
  prometheus?: MonitoringOptions;
  alertmanager?: MonitoringOptions;
  env?: Record<string, string | undefined>;
}

export function selected(options: ServicesOptions, name: ServiceName): boolean {
  return options.only === undefined || options.only.includes(name);
}

/** The selected services; fails with CONFIG_INVALID when two local services would bind one port. */
export function managedServices(config: SystemConfig, options: ServicesOptions): ManagedService[] {
  const env = options.env ?? process.env;
  const all = [
    ...createKafkaServices(config, { env, ...options.kafka }),
    createInfluxService(config, { env, ...options.influxdb }),
    createPrometheusService(config, { env, ...options.prometheus }),
    createAlertmanagerService(config, { env, ...options.alertmanager }),
  ];
  const localPorts = all
    .filter((service) => !service.external)
    .flatMap((service) => service.ports.map((port) => ({ ...port, owner: `${service.name} ${port.role}` })));
  const [conflict] = conflictingPorts(localPorts);
  if (conflict) {
    const [first, second] = conflict;
    throw new CdnfaasError(
      'CONFIG_INVALID',
      `the ${first.owner} and the ${second.owner} would both use port ${first.port}`,
      {
        hint: 'give each its own port in system/sources.yaml (kafka.brokers, kafka.controllerPort, kafka.nodes (node i adds 100 * i), influxdb.url, prometheus.port, alertmanager.port; InfluxDB also binds its HTTP port + 2)',
      },
    );
  }
  return all.filter((service) => selected(options, service.name));
}

export interface Observation {
  record: ServiceRecord | undefined;
  decision: StartDecision;
}

export async function observe(service: ManagedService): Promise<Observation> {
  const found = readRecord(service.run);
  const alive = found !== undefined && isRecordedProcessRunning(found);
  if (found && !alive) removeRecord(service.run);
  const busy = service.external || alive ? [] : await busyPorts(service.ports);
  return {
    record: alive ? found : undefined,
    decision: decideStart({ external: service.external, ownProcessAlive: alive, busyPorts: busy }),
  };
}

export function portInUse(service: ManagedService, port: HostPort): CdnfaasError {
  const role = service.ports.find((p) => p.port === port.port && p.host === port.host)?.role ?? 'port';
  const where = formatHostPort(port);
  return new CdnfaasError(
    'PORT_IN_USE',
    `${service.name} cannot start: ${where} (its ${role}) is already in use by a program cdnfaas did not start`,
    {
      hint:
        `stop that program (\`ss -ltnp 'sport = :${port.port}'\` or \`lsof -i :${port.port}\` names it), ` +
        `or use it as an external server with ${service.externalVariable}=${service.address}, ` +
        `or choose free ports in system/sources.yaml (${service.portKeys})`,
      context: { service: service.name, port: port.port, host: port.host },
    },
  );
}

/**
 * Runs `work` on the selected services while holding the services lock: one `services up` or
 * `down` at a time per cdnfaas home, the other waiting (and saying so) for up to 30 minutes.
 */
export function withServicesLock<T>(
  config: SystemConfig,
  options: ServicesOptions,
  work: (services: ManagedService[], onProgress: ProgressListener) => Promise<T>,
): Promise<T> {
  const onProgress = options.onProgress ?? silentProgress;
  const services = managedServices(config, options);
  return withFileLock(
    join(config.home, 'services.lock'),
    { timeoutMs: 30 * 60_000, onWait: (pid) => onProgress(waitingFor(pid)) },
    () => work(services, onProgress),
  );
}

function waitingFor(pid: number): ProgressEvent {
  return {
    service: 'services',
    kind: 'step',
    message: `waiting for another cdnfaas services command (pid ${pid}) to finish`,
  };
}
