import type { DriftReport } from '../../ml/drift.ts';
import type { CpuTimes, DiskReading, MemoryReading, NetworkCounters } from '../reducers/host.ts';
import type { Sample } from '../reducers/samples.ts';
import type { KeyedRow } from '../reducers/series.ts';

/**
 * What the dashboard reads, each a plain async function so the gateway can hand in its own
 * registry and provider while a standalone page or a test hands in HTTP or Kafka clients.
 * A source left out shows as "not configured" on its panels; a source that throws shows its
 * error on its panels only.
 */
export interface DashboardSources {
  /** End offset (sum over partitions) of each topic the pipeline uses, DLQs included. */
  topicOffsets?: () => Promise<TopicOffsets[]>;
  /** Records in each dead-letter topic, counted exactly (end offsets include transaction markers). */
  deadLetters?: () => Promise<DeadLetterCount[]>;
  /** Lag per consumer group with a Burrow-style status. */
  lag?: () => Promise<GroupLag[]>;
  /** Deployed functions with desired and available replicas. */
  functions?: () => Promise<FunctionReplicas[]>;
  /** The runtime's Prometheus samples (gateway_function_invocation_total, gateway_functions_seconds...). */
  metrics?: () => Promise<Sample[]>;
  /** Predictions of the last `windowSeconds`, counted per `stepSeconds` window by cluster and by tag. */
  predictions?: (windowSeconds: number, stepSeconds: number) => Promise<PredictionWindows>;
  /** Points stored per InfluxDB measurement, over all time. */
  storedCounts?: () => Promise<StoredCount[]>;
  /** CPU, memory, disk and network of the machine. */
  host?: () => Promise<HostReading>;
  /** The live traffic against the deployed model's training distribution (ml/drift.ts). */
  drift?: () => Promise<DriftReport>;
}

export type SourceName = keyof DashboardSources;

export interface TopicOffsets {
  topic: string;
  /** Sum of the partitions' end offsets (transaction markers included on transactional topics). */
  endOffset: number;
}

export interface DeadLetterCount {
  topic: string;
  records: number;
}

/** Burrow's evaluation of a group or partition; UNKNOWN when the source keeps no commit history. */
export type LagStatus = 'OK' | 'WARN' | 'ERR' | 'STALL' | 'STOP' | 'REWIND' | 'UNKNOWN';

export interface GroupLag {
  group: string;
  /** The function the group feeds, where known. */
  function?: string;
  topic: string;
  totalLag: number;
  status: LagStatus;
  partitions: { partition: number; lag: number; status: LagStatus }[];
}

export interface FunctionReplicas {
  name: string;
  image: string;
  /** Desired replicas. */
  replicas: number;
  /** Replicas that passed their health check. */
  availableReplicas: number;
}

export interface PredictionWindows {
  perCluster: KeyedRow[];
  perTag: KeyedRow[];
}

export interface StoredCount {
  measurement: string;
  points: number;
}

export interface HostReading {
  cpu: CpuTimes;
  cores: number;
  memory: MemoryReading;
  /** Absent where the platform has no /proc/net/dev. */
  network?: NetworkCounters;
  disks: DiskReading[];
  loadAverage: number[];
}
