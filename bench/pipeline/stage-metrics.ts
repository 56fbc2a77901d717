// Where a batch's time goes, per function, from the connector's own Prometheus metrics:
// the difference between two readings of /metrics covers exactly one phase of the benchmark.
import { parsePrometheusText, type Sample } from '../../dashboard/reducers/samples.ts';

export interface StageTiming {
  function: string;
  /** Cycles: each takes what is buffered over the function's partitions and commits it at once. */
  batches: number;
  records: number;
  /** Mean ms per record from its Kafka timestamp to its arrival (upstream commit, visibility, fetch). */
  fetchWaitMs: number;
  /** Mean ms per record from its arrival to the start of the cycle that took it. */
  batchWaitMs: number;
  /** Mean ms per cycle: waiting for an in-flight slot, invoking, waiting for the previous publish. */
  queuedMs: number;
  invokeMs: number;
  publishWaitMs: number;
  /** Mean ms per cycle: outputs sent, offsets sent and committed, the two together (with retries). */
  produceMs: number;
  commitMs: number;
  publishMs: number;
  /** Mean milliseconds from taking a cycle to committing it. */
  batchMs: number;
}

export type MetricsReading = Sample[];

export async function readConnectorMetrics(connectorUrl: string): Promise<MetricsReading> {
  const response = await fetch(`${connectorUrl}/metrics`);
  return parsePrometheusText(await response.text());
}

function total(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samples
    .filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Per-function means over the interval between two readings. Pure. */
export function stageTimings(before: MetricsReading, after: MetricsReading): StageTiming[] {
  const functions = [
    ...new Set(
      after.filter((s) => s.name === 'cdnfaas_connector_batch_seconds_count').map((s) => s.labels.function!),
    ),
  ];
  const delta = (name: string, labels: Record<string, string>) =>
    total(after, name, labels) - total(before, name, labels);
  return functions.map((fn) => {
    const batches = delta('cdnfaas_connector_batch_seconds_count', { function: fn });
    const per = (seconds: number) => (batches > 0 ? (seconds / batches) * 1000 : 0);
    const stage = (name: string) =>
      per(delta('cdnfaas_connector_batch_stage_seconds_sum', { function: fn, stage: name }));
    return {
      function: fn,
      batches,
      records: delta('cdnfaas_connector_records_total', { function: fn }),
      fetchWaitMs: stage('fetch_wait'),
      batchWaitMs: stage('batch_wait'),
      queuedMs: stage('queued'),
      invokeMs: stage('invoke'),
      publishWaitMs: stage('publish_wait'),
      produceMs: stage('produce'),
      commitMs: stage('commit'),
      publishMs: stage('publish'),
      batchMs: per(delta('cdnfaas_connector_batch_seconds_sum', { function: fn })),
    };
  });
}
