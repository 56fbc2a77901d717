import { backgroundPaths } from '../../deploy/local/pipeline/background.ts';
import { readRecord } from '../../deploy/local/processes.ts';
import type { SystemConfig } from '../../system/config.ts';
import { pidListeningOn, startCpuSampler, type CpuSampler } from './process-cpu.ts';

/**
 * CPU of every process of a running system the benchmarks start (gateway and its replicas,
 * connector, Kafka, InfluxDB, this process), with replica names stripped of the system's id.
 */
export function startSystemCpuSampler(
  system: { config: SystemConfig; id: string },
  services: SystemConfig,
): CpuSampler {
  const port = (address: string) => Number(address.split(':').pop());
  const gatewayPid = readRecord(backgroundPaths(system.config, 'gateway'))?.pid;
  return startCpuSampler(
    {
      gateway: gatewayPid,
      connector: readRecord(backgroundPaths(system.config, 'connector'))?.pid,
      kafka: pidListeningOn(port(services.kafka.brokers[0]!)),
      influxdb: pidListeningOn(Number(new URL(services.influxdb.url).port || 8086)),
      'benchmark (producer, write proxy)': process.pid,
    },
    gatewayPid,
    (fn) => fn.replace(`-${system.id}`, ''),
  );
}
