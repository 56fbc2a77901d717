// `services up`: start what is missing and return once every service is healthy.
import { CdnfaasError } from '../../lib/errors.ts';
import type { SystemConfig } from '../../system/config.ts';
import { locateFaasCli } from './faas-cli.ts';
import { waitUntilHealthy } from './health.ts';
import type { ManagedService } from './managed.ts';
import { silentProgress, type ProgressListener } from './progress.ts';
import {
  observe,
  portInUse,
  selected,
  type Observation,
  type ServiceReport,
  type ServicesOptions,
  withServicesLock,
} from './registry.ts';

/** How long an external service gets to answer before `services up` gives up on it. */
const externalCheckMs = 6_000;

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

export async function faasCliReport(
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

export function unavailableReport(service: ManagedService, reason: string): ServiceReport {
  return {
    service: service.name,
    address: service.address,
    state: `unavailable: ${reason}`,
    healthy: false,
    startedByCdnfaas: false,
  };
}

/** Starts what is missing and returns once every selected service is healthy; faas-cli is best effort. */
export async function servicesUp(
  config: SystemConfig,
  options: ServicesOptions = {},
): Promise<ServiceReport[]> {
  return withServicesLock(config, options, (services, onProgress) =>
    bringAllUp(config, options, services, onProgress),
  );
}

async function bringAllUp(
  config: SystemConfig,
  options: ServicesOptions,
  services: ManagedService[],
  onProgress: ProgressListener,
): Promise<ServiceReport[]> {
  // Optional services that cannot run here (not installed) are reported and skipped.
  const skipped: ServiceReport[] = [];
  const runnable = services.filter((service) => {
    const reason = service.unavailable?.();
    if (reason === undefined) return true;
    onProgress({ service: service.name, kind: 'warn', message: `unavailable: ${reason}` });
    skipped.push(unavailableReport(service, reason));
    return false;
  });
  // Look at every service first, so a taken port fails the command before minutes of downloads.
  const observations = await Promise.all(runnable.map(observe));
  const work: Array<Promise<ServiceReport>> = [];
  runnable.forEach((service, index) => {
    const decision = observations[index]!.decision;
    if (decision.action !== 'port-in-use') return;
    if (!service.optional) throw portInUse(service, decision.port);
    // A Prometheus someone else runs on its port: reported, and the gateway's own rule takes over.
    const reason = `port ${decision.port.port} is taken by a program cdnfaas did not start`;
    onProgress({ service: service.name, kind: 'warn', message: `unavailable: ${reason}` });
    skipped.push(unavailableReport(service, reason));
  });
  runnable.forEach((service, index) => {
    if (observations[index]!.decision.action !== 'port-in-use')
      work.push(bringUp(service, observations[index]!, onProgress));
  });
  work.push(...skipped.map((report) => Promise.resolve(report)));
  if (selected(options, 'faas-cli')) work.push(faasCliReport(config, options, true));
  const settled = await Promise.allSettled(work);
  const failures = settled.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failures.length > 0) throw failures[0]!.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<ServiceReport>).value);
}
