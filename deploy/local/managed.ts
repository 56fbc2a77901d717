import type { HostPort } from './address.ts';
import type { HealthResult } from './health.ts';
import type { RunPaths } from './layout.ts';
import type { DetachedProcess, ServiceRecord } from './processes.ts';
import type { ProgressListener } from './progress.ts';

/** A server process deploy/local can obtain, start, check and stop: Kafka, InfluxDB, Prometheus, AlertManager. */
export interface ManagedService {
  name: 'kafka' | 'influxdb' | 'prometheus' | 'alertmanager';
  /** As people and clients write it: 127.0.0.1:9092, http://127.0.0.1:8086. */
  address: string;
  /** Named by KAFKA_BROKERS / INFLUX_URL or on another host: cdnfaas only checks it. */
  external: boolean;
  /** The variable that makes the service external, for messages. */
  externalVariable: string;
  /** The sources.yaml keys that choose its ports, for messages. */
  portKeys: string;
  /** Every port the process binds, with what it is for. */
  ports: Array<HostPort & { role: string }>;
  run: RunPaths;
  /** The version deploy/local obtains. */
  version: string;
  health(): Promise<HealthResult>;
  /** Obtains (if not cached), prepares and spawns the process, and records that cdnfaas started it. */
  start(onProgress: ProgressListener): Promise<{ process: DetachedProcess; record: ServiceRecord }>;
  /** What a healthy service still needs: topics, database, token file. Returns a line for the progress. */
  provision(onProgress: ProgressListener): Promise<string>;
  /**
   * Optional services (Prometheus, AlertManager) are started when they can be: a missing binary
   * or a port taken by another program is reported, never an error.
   */
  optional?: boolean;
  /** Why the service cannot run on this machine (e.g. "not installed"), or undefined when it can. */
  unavailable?(): string | undefined;
  /** The version in the cache, if obtained, or the one a running server reports. */
  knownVersion(): Promise<string | undefined>;
}

export interface ServiceOptions {
  /** Overrides the pinned version (tests use a missing one to check failure messages). */
  version?: string;
  env?: Record<string, string | undefined>;
}
