// deploy/local: obtain, cache, start, check and stop the real services cdnfaas runs on.
export { servicesUp } from './up.ts';
export { servicesDown } from './down.ts';
export { servicesStatus } from './status.ts';
export type { ServiceReport, ServicesOptions } from './registry.ts';
export type { ProgressEvent, ProgressListener, ServiceName } from './progress.ts';
export { locateFaasCli, type FaasCliStatus } from './faas-cli.ts';
export { kafkaVersion } from './kafka-files.ts';
export { influxdbVersion } from './influx-files.ts';
