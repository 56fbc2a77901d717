// `services down`: stop what cdnfaas started, per its records, and nothing else.
import type { SystemConfig } from '../../system/config.ts';
import { isRecordedProcessRunning, readRecord, removeRecord, stopProcess } from './processes.ts';
import type { ManagedService } from './managed.ts';
import type { ProgressListener } from './progress.ts';
import { withServicesLock, type ServiceReport, type ServicesOptions } from './registry.ts';

/** How long a service gets to exit after SIGTERM before SIGKILL. */
const stopGraceMs = 30_000;

/** Stops the services cdnfaas started (per their records) and leaves everything else alone. */
export async function servicesDown(
  config: SystemConfig,
  options: ServicesOptions = {},
): Promise<ServiceReport[]> {
  return withServicesLock(config, options, stopAll);
}

function stopAll(services: ManagedService[], onProgress: ProgressListener): Promise<ServiceReport[]> {
  return Promise.all(
    services.map(async (service): Promise<ServiceReport> => {
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
