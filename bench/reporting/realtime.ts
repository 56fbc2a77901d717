// The real-time figures of bench/out/pipeline.json in the report's terms: idle and steady latency,
// throughput, CPU per record with its breakdown, and the latency budget per stage. Pure: a JSON
// object in, figures out; a key that is not there is a missing figure, never a zero.
import type { Json, Measured } from './measured.ts';
import type { StageTiming } from '../pipeline/stage-metrics.ts';

/** What the system must reach, as the real-time issue states it. */
export const targets = {
  idleMs: 100,
  p50Ms: 100,
  p99Ms: 250,
  sustainedRecordsPerSecond: 20_000,
  replayBurstSeconds: 2,
  cpuMicrosPerRecord: 80,
} as const;

export interface CpuPart {
  part: string;
  cores: number;
}

export interface LatencyFigures {
  rate: number;
  seconds: number;
  measured: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface CpuFigures {
  /** Every process followed: the system and the benchmark's own producer and write proxy. */
  microsPerRecord: number;
  /** The system alone (gateway, connector, replicas, Kafka, InfluxDB). */
  systemMicrosPerRecord: number;
  records: number;
  seconds: number;
  /** Average cores per process over the throughput phase, largest first; `machine` last. */
  parts: CpuPart[];
  /** Cores the rest of the machine used meanwhile (other work, not this run). */
  otherCores: number;
}

/**
 * Means from the connector's metrics: ms per record for the waits, ms per cycle for the rest.
 * The fields of the pipeline benchmark's StageTiming, counted in cycles.
 */
export type StageBudget = Omit<StageTiming, 'batches' | 'publishMs' | 'batchMs'> & { cycles: number };

export interface RealTimeFigures {
  idle: Measured<{ measured: number; p50: number; max: number }>;
  steady: Measured<LatencyFigures>;
  throughput: Measured<{ records: number; sustainedRate: number; endToEndRate: number; seconds: number }>;
  cpu: Measured<CpuFigures>;
  /** Per function, during the steady 1,000/s phase. */
  budget: Measured<{ stages: StageBudget[] }>;
  /** Per function, during the throughput phase. */
  throughputStages: Measured<{ stages: StageBudget[] }>;
}

const missing = (reason: string) => ({ status: 'missing' as const, reason });
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isBenchmark = (part: string) => part.startsWith('benchmark');
const isMachine = (part: string) => part.startsWith('machine');

/**
 * Deployed names carry the run's id (`<label>-<suffix>`, test/support/system-parts.ts):
 * `load-data-bench-l2x9k` is load-data.
 */
export function stackName(deployed: string): string {
  return deployed.replace(/-[a-z0-9]+-[a-z0-9]+$/, '');
}

/** CPU per record from the shares of a phase that moved `records` records in `seconds`. */
export function cpuFigures(parts: CpuPart[], records: number, seconds: number): CpuFigures {
  const sum = (list: CpuPart[]) => list.reduce((total, part) => total + part.cores, 0);
  const followed = parts.filter((part) => !isMachine(part.part));
  const all = sum(followed);
  const system = sum(followed.filter((part) => !isBenchmark(part.part)));
  const machine = parts.find((part) => isMachine(part.part))?.cores ?? all;
  const perRecord = (cores: number) => (cores * seconds * 1e6) / records;
  return {
    microsPerRecord: perRecord(all),
    systemMicrosPerRecord: perRecord(system),
    records,
    seconds,
    parts,
    otherCores: Math.max(0, machine - all),
  };
}

function budgetOf(list: unknown): StageBudget[] {
  return ((list ?? []) as Json[])
    .filter((timing) => finite(timing.batches) && timing.batches > 0)
    .map((timing) => ({
      function: stackName(String(timing.function)),
      cycles: timing.batches,
      records: timing.records,
      fetchWaitMs: timing.fetchWaitMs,
      batchWaitMs: timing.batchWaitMs,
      queuedMs: timing.queuedMs,
      invokeMs: timing.invokeMs,
      publishWaitMs: timing.publishWaitMs,
      produceMs: timing.produceMs,
      commitMs: timing.commitMs,
    }));
}

export function realTimeFigures(json: Json): RealTimeFigures {
  const idle = json.idle as Json | undefined;
  const latency = json.latency as Json | undefined;
  const throughput = json.throughput as Json | undefined;
  const cpu = (json.cpu as Json | undefined)?.throughput as CpuPart[] | undefined;
  const stages = json.stages as Json | undefined;
  const latencyBudget = budgetOf(stages?.latency);
  const throughputBudget = budgetOf(stages?.throughput);
  const haveThroughput = finite(throughput?.records) && finite(throughput?.seconds);
  return {
    idle: finite(idle?.p50)
      ? { status: 'measured', measured: idle.measured, p50: idle.p50, max: idle.max }
      : missing('bench/out/pipeline.json has no idle phase (single records on an idle system)'),
    steady: finite(latency?.p99)
      ? {
          status: 'measured',
          rate: latency.rate,
          seconds: latency.seconds,
          measured: latency.measured,
          p50: latency.p50,
          p90: latency.p90,
          p99: latency.p99,
          max: latency.max,
        }
      : missing('bench/out/pipeline.json has no steady latency phase'),
    throughput: haveThroughput
      ? {
          status: 'measured',
          records: throughput!.records,
          sustainedRate: throughput!.sustainedRate,
          endToEndRate: throughput!.endToEndRate,
          seconds: throughput!.seconds,
        }
      : missing('bench/out/pipeline.json has no throughput phase'),
    cpu:
      haveThroughput && Array.isArray(cpu) && cpu.length > 0
        ? { status: 'measured', ...cpuFigures(cpu, throughput!.records, throughput!.seconds) }
        : missing('bench/out/pipeline.json has no CPU shares of its throughput phase'),
    budget:
      latencyBudget.length > 0
        ? { status: 'measured', stages: latencyBudget }
        : missing('bench/out/pipeline.json has no connector stage timings of its steady phase'),
    throughputStages:
      throughputBudget.length > 0
        ? { status: 'measured', stages: throughputBudget }
        : missing('bench/out/pipeline.json has no connector stage timings of its throughput phase'),
  };
}

/** The functions a prediction passes, in order (load-data runs beside them, off this path). */
export const predictionPath = ['provide', 'predict', 'load-predictions'] as const;

/**
 * The budget summed along the prediction's path, each moment counted once: a downstream fetch
 * wait starts at the output's Kafka timestamp, so it already holds the upstream's produce and
 * commit (those rows are not added again); the prediction is stored during load-predictions'
 * invoke, so that stage's publish wait and commit come after the moment measured.
 */
export function pathSumMs(stages: StageBudget[]): number | undefined {
  const byName = new Map(stages.map((stage) => [stage.function, stage]));
  if (!predictionPath.every((name) => byName.has(name))) return undefined;
  return predictionPath.reduce((sum, name, index) => {
    const s = byName.get(name)!;
    const last = index === predictionPath.length - 1;
    return sum + s.fetchWaitMs + s.batchWaitMs + s.queuedMs + s.invokeMs + (last ? 0 : s.publishWaitMs);
  }, 0);
}
