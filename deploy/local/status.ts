// `services status`: each service with its address, state and version.
import type { SystemConfig } from '../../system/config.ts';
import { formatHostPort } from './address.ts';
import { busyPorts } from './ports.ts';
import { isRecordedProcessRunning, readRecord } from './processes.ts';
import { managedServices, selected, type ServiceReport, type ServicesOptions } from './registry.ts';
import { faasCliReport, unavailableReport } from './up.ts';

/** Each service with its address, state and version; starts and builds nothing. */
export async function servicesStatus(
  config: SystemConfig,
  options: ServicesOptions = {},
): Promise<ServiceReport[]> {
  const reports = await Promise.all(
    managedServices(config, options).map(async (service): Promise<ServiceReport> => {
      const unavailable = service.unavailable?.();
      if (unavailable !== undefined) return unavailableReport(service, unavailable);
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
