// The programmatic API behind `cdnfaas services up|down|status`, the test setup and `npm run up`.
import { CdnfaasError } from '../../lib/errors.ts';
import type { SystemConfig } from '../../system/config.ts';
import { formatHostPort, type HostPort } from './address.ts';
import { locateFaasCli } from './faas-cli.ts';
import { waitUntilHealthy } from './health.ts';
import { createInfluxService } from './influx-service.ts';
import { createKafkaService } from './kafka-service.ts';
import type { ManagedService, ServiceOptions } from './managed.ts';
import { decideStart, type StartDecision } from './plan.ts';
import { busyPorts } from './ports.ts';
import {
  isRecordedProcessRunning,
  readRecord,
  removeRecord,
  stopProcess,
  type ServiceRecord,
} from './processes.ts';
import { silentProgress, type ProgressListener, type ServiceName } from './progress.ts';

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
  env?: Record<string, string | undefined>;
}

/** How long an external service gets to answer before `services up` gives up on it. */
const externalCheckMs = 6_000;
/** How long a service gets to exit after SIGTERM before SIGKILL. */
const stopGraceMs = 30_000;

function selected(options: ServicesOptions, name: ServiceName): boolean {
  return options.only === undefined || options.only.includes(name);
}

function managedServices(config: SystemConfig, options: ServicesOptions): ManagedService[] {
  const env = options.env ?? process.env;
  const services: ManagedService[] = [];
  if (selected(options, 'kafka')) services.push(createKafkaService(config, { env, ...options.kafka }));
  if (selected(options, 'influxdb')) services.push(createInfluxService(config, { env, ...options.influxdb }));
  return services;
}

interface Observation {
  record: ServiceRecord | undefined;
  decision: StartDecision;
}

async function observe(service: ManagedService): Promise<Observation> {
  const found = readRecord(service.run);
  const alive = found !== undefined && isRecordedProcessRunning(found);
  if (found && !alive) removeRecord(service.run);
  const busy = service.external || alive ? [] : await busyPorts(service.ports);
  return {
    record: alive ? found : undefined,
    decision: decideStart({ external: service.external, ownProcessAlive: alive, busyPorts: busy }),
  };
}

function portInUse(service: ManagedService, port: HostPort): CdnfaasError {
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

async function checkExternal(service: ManagedService): Promise<void> {
  const started = Date.now();
  for (;;) {
    const health = await service.health();
    if (health.healthy) return;
    if (Date.now() - started >= externalCheckMs) {
      throw new CdnfaasError(
        'SERVICE_UNREACHABLE',
        `${service.name} at ${service.address} does not answer: ${health.detail}`,
        {
          hint: `start that server, correct ${service.externalVariable} (or the address in system/sources.yaml), or unset ${service.externalVariable} so cdnfaas starts its own ${service.name}`,
          context: { service: service.name, address: service.address },
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function bringUp(
  service: ManagedService,
  observation: Observation,
  onProgress: ProgressListener,
): Promise<ServiceReport> {
  const base = {
    service: service.name,
    address: service.address,
    healthy: true,
    logFile: service.run.logFile,
  };
  const say = (message: string, kind: 'step' | 'done' = 'step') =>
    onProgress({ service: service.name, kind, message });
  const { decision } = observation;
  if (decision.action === 'port-in-use') throw portInUse(service, decision.port);

  if (decision.action === 'check-external') {
    say(`using external ${service.name} at ${service.address}; starting nothing`);
    await checkExternal(service);
    say(await service.provision(onProgress), 'done');
    return {
      ...base,
      state: 'external',
      startedByCdnfaas: false,
      version: await service.knownVersion(),
      logFile: undefined,
    };
  }

  let record = observation.record;
  if (decision.action === 'adopt' && record) {
    say(`already running (pid ${record.pid}, started by cdnfaas)`);
    await waitUntilHealthy({ service: service.name, check: service.health, logFile: service.run.logFile });
  } else {
    const started = await service.start(onProgress);
    record = started.record;
    const tookMs = await waitUntilHealthy({
      service: service.name,
      check: service.health,
      logFile: service.run.logFile,
      process: started.process,
    });
    say(`healthy at ${service.address} after ${(tookMs / 1000).toFixed(1)} s (pid ${record.pid})`, 'done');
  }
  say(await service.provision(onProgress), 'done');
  return { ...base, state: 'running', startedByCdnfaas: true, pid: record?.pid, version: record?.version };
}

async function faasCliReport(
  config: SystemConfig,
  options: ServicesOptions,
  obtain: boolean,
): Promise<ServiceReport> {
  const onProgress = options.onProgress ?? silentProgress;
  const status = await locateFaasCli({ cacheDir: config.cacheDir, env: options.env, onProgress, obtain });
  if (status.available) {
    if (obtain)
      onProgress({
        service: 'faas-cli',
        kind: 'done',
        message: `faas-cli ${status.version} at ${status.path}`,
      });
    return {
      service: 'faas-cli',
      address: status.path,
      state: 'available',
      healthy: true,
      startedByCdnfaas: false,
      version: status.version,
    };
  }
  if (obtain) {
    onProgress({
      service: 'faas-cli',
      kind: 'warn',
      message: `faas-cli unavailable: ${status.reason}; continuing without it (the gateway still speaks its API)`,
    });
  }
  return {
    service: 'faas-cli',
    address: '-',
    state: `unavailable: ${status.reason}`,
    healthy: false,
    startedByCdnfaas: false,
  };
}

/** Starts what is missing and returns once every selected service is healthy; faas-cli is best effort. */
export async function servicesUp(
  config: SystemConfig,
  options: ServicesOptions = {},
): Promise<ServiceReport[]> {
  const onProgress = options.onProgress ?? silentProgress;
  const services = managedServices(config, options);
  // Look at every service first, so a taken port fails the command before minutes of downloads.
  const observations = await Promise.all(services.map(observe));
  services.forEach((service, index) => {
    const decision = observations[index]!.decision;
    if (decision.action === 'port-in-use') throw portInUse(service, decision.port);
  });
  const work: Array<Promise<ServiceReport>> = services.map((service, index) =>
    bringUp(service, observations[index]!, onProgress),
  );
  if (selected(options, 'faas-cli')) work.push(faasCliReport(config, options, true));
  const settled = await Promise.allSettled(work);
  const failures = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length > 0) throw failures[0]!.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<ServiceReport>).value);
}

/** Stops the services cdnfaas started (per their records) and leaves everything else alone. */
export async function servicesDown(
  config: SystemConfig,
  options: ServicesOptions = {},
): Promise<ServiceReport[]> {
  const onProgress = options.onProgress ?? silentProgress;
  return Promise.all(
    managedServices(config, options).map(async (service): Promise<ServiceReport> => {
      const base = {
        service: service.name,
        address: service.address,
        healthy: false,
        startedByCdnfaas: false,
      };
      if (service.external) return { ...base, state: 'external, left alone' };
      const record = readRecord(service.run);
      if (!record || !isRecordedProcessRunning(record)) {
        if (record) removeRecord(service.run);
        return { ...base, state: 'not running (nothing started by cdnfaas)' };
      }
      onProgress({
        service: service.name,
        kind: 'step',
        message: `stopping pid ${record.pid} (SIGTERM, SIGKILL after ${stopGraceMs / 1000} s)`,
      });
      const outcome = await stopProcess(record.pid, stopGraceMs);
      removeRecord(service.run);
      onProgress({
        service: service.name,
        kind: 'done',
        message: outcome === 'killed' ? `killed pid ${record.pid}` : `stopped pid ${record.pid}`,
      });
      return {
        ...base,
        state: outcome === 'killed' ? 'stopped (killed after timeout)' : 'stopped',
        startedByCdnfaas: true,
        pid: record.pid,
      };
    }),
  );
}

/** Each service with its address, state and version; starts and builds nothing. */
export async function servicesStatus(
  config: SystemConfig,
  options: ServicesOptions = {},
): Promise<ServiceReport[]> {
  const reports = await Promise.all(
    managedServices(config, options).map(async (service): Promise<ServiceReport> => {
      const [health, version] = await Promise.all([service.health(), service.knownVersion()]);
      const base = {
        service: service.name,
        address: service.address,
        healthy: health.healthy,
        version,
        logFile: service.run.logFile,
      };
      if (service.external) {
        return {
          ...base,
          state: health.healthy ? 'external, answering' : 'external, not answering',
          startedByCdnfaas: false,
          detail: health.detail,
          logFile: undefined,
        };
      }
      const record = readRecord(service.run);
      if (record && isRecordedProcessRunning(record)) {
        return {
          ...base,
          state: health.healthy ? 'running' : 'started, not healthy',
          startedByCdnfaas: true,
          pid: record.pid,
          detail: health.detail,
        };
      }
      const busy = await busyPorts(service.ports);
      if (busy.length > 0) {
        const state = health.healthy
          ? 'running, not started by cdnfaas'
          : `port ${busy.map(formatHostPort).join(', ')} taken by another program`;
        return { ...base, state, startedByCdnfaas: false, detail: health.detail };
      }
      return { ...base, state: 'stopped', healthy: false, startedByCdnfaas: false };
    }),
  );
  if (selected(options, 'faas-cli')) reports.push(await faasCliReport(config, options, false));
  return reports;
}
