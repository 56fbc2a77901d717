import { ceLimits } from '../../../tools/lint/ce-limits.ts';

/**
 * Partitions and replicas for a target input rate, from measured per-replica throughput.
 * Every stage sees the whole input rate (provide writes one ClientData per valid record to
 * each of its outputs; predict and the loaders take one record per record), so for stage f:
 *
 *   replicas(f)   = ceil(target / (perReplica(f) * utilisation))
 *   partitions(f) >= replicas(f)          (one batch per partition at a time keeps order)
 *   lagTarget(f)  = perReplica(f) * catchUpSeconds
 *
 * OpenFaaS CE caps replicas at 5, so a stage that needs more needs faster replicas, bigger
 * batches or OpenFaaS Standard. Nothing here is measured: the rates are inputs.
 */

export interface StageRate {
  function: string;
  /** Records per second one replica sustains (measured by the benchmarks). */
  perReplica: number;
  /** Partitions of its input topic today. */
  partitions: number;
}

export interface CapacityOptions {
  /** Records per second entering cdn_raw. */
  target: number;
  /** Fraction of a replica's measured rate to plan for (headroom for bursts and rebalances). */
  utilisation: number;
  /** Seconds of work one replica's share of lag should represent (the lag target). */
  catchUpSeconds: number;
}

export interface CapacityRow {
  function: string;
  perReplica: number;
  replicas: number;
  partitions: number;
  lagTarget: number;
  /** False when the replicas needed exceed OpenFaaS CE's cap. */
  fitsCe: boolean;
}

export function planCapacity(stages: StageRate[], options: CapacityOptions): CapacityRow[] {
  if (
    !(options.target > 0) ||
    !(options.utilisation > 0 && options.utilisation <= 1) ||
    !(options.catchUpSeconds > 0)
  ) {
    throw new RangeError('target > 0, 0 < utilisation <= 1 and catchUpSeconds > 0 are required');
  }
  return stages.map((stage) => {
    if (!(stage.perReplica > 0)) throw new RangeError(`${stage.function}: records/s per replica must be > 0`);
    const replicas = Math.max(1, Math.ceil(options.target / (stage.perReplica * options.utilisation)));
    return {
      function: stage.function,
      perReplica: stage.perReplica,
      replicas,
      partitions: Math.max(replicas, stage.partitions),
      lagTarget: Math.round(stage.perReplica * options.catchUpSeconds),
      fitsCe: replicas <= ceLimits.maxReplicas,
    };
  });
}

export function capacityTable(rows: CapacityRow[], options: CapacityOptions): string {
  const header = [
    `Target ${options.target} records/s, planning at ${Math.round(options.utilisation * 100)}% of measured throughput, lag target = ${options.catchUpSeconds} s of work:`,
    '',
    '| function | records/s per replica (measured) | replicas | partitions (min) | lag target | fits OpenFaaS CE (<= 5) |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  const lines = rows.map(
    (r) =>
      `| ${r.function} | ${r.perReplica} | ${r.replicas} | ${r.partitions} | ${r.lagTarget} | ${r.fitsCe ? 'yes' : 'no'} |`,
  );
  return [...header, ...lines].join('\n');
}

/**
 * Per-replica rates from bench/REPORT.json: `stages.<function>.recordsPerSecondPerReplica`.
 * Returns the rates found and the functions whose rate is missing.
 */
export function ratesFromReport(
  report: unknown,
  functions: string[],
): { rates: Record<string, number>; missing: string[] } {
  const stages =
    (report as { stages?: Record<string, { recordsPerSecondPerReplica?: unknown }> } | null)?.stages ?? {};
  const rates: Record<string, number> = {};
  const missing: string[] = [];
  for (const fn of functions) {
    const value = stages[fn]?.recordsPerSecondPerReplica;
    if (typeof value === 'number' && value > 0) rates[fn] = value;
    else missing.push(fn);
  }
  return { rates, missing };
}
