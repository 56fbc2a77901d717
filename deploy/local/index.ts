// deploy/local: obtain, cache, start, check and stop the real services cdnfaas runs on.
export {
  servicesDown,
  servicesStatus,
  servicesUp,
  type ServiceReport,
  type ServicesOptions,
} from './services.ts';
export type { ProgressEvent, ProgressListener, ServiceName } from './progress.ts';
export { locateFaasCli, type FaasCliStatus } from './faas-cli.ts';
export { kafkaVersion } from './kafka-files.ts';
export { influxdbVersion } from './influx-files.ts';
