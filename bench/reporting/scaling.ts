// The scaling curve read: which process saturates in a run, and where adding replicas or
// partitions stops paying. Pure.
import type { CpuPart } from './realtime.ts';

export interface ScalingFigures {
  records: number;
  sustainedRecordsPerSecond: number;
  endToEndRecordsPerSecond: number;
  /** Average cores per process over the run, largest first; `machine (everything)` last. */
  cpu: CpuPart[];
}

export interface ScalingRun {
  partitions: number;
  replicas: number;
  result: ({ status: 'measured' } & ScalingFigures) | { status: 'missing'; reason: string };
}

export interface Saturation {
  part: string;
  cores: number;
  /** The most cores this part can use: see `capacityOf`. */
  capacity: number;
  /** cores / capacity: 1 is a part that cannot go faster. */
  use: number;
}

/**
 * The most cores a process can keep busy. A Node process does its work on one main thread (its
 * few helper threads aside), so the gateway, the connector and the benchmark get 1 core, a
 * function's replicas one each; Kafka and InfluxDB are multi-threaded and may use every core.
 */
export function capacityOf(part: string, replicas: number, cores: number): number {
  if (part.endsWith(' replicas')) return Math.min(replicas, cores);
  if (part === 'kafka' || part === 'influxdb') return cores;
  return Math.min(1, cores);
}

/** Every followed process by how close it runs to its capacity, the closest first. */
export function saturation(cpu: CpuPart[], replicas: number, cores: number): Saturation[] {
  return cpu
    .filter((share) => !share.part.startsWith('machine'))
    .map((share) => {
      const capacity = capacityOf(share.part, replicas, cores);
      return { part: share.part, cores: share.cores, capacity, use: share.cores / capacity };
    })
    .sort((a, b) => b.use - a.use);
}

/** The machine's busy cores over its cores (other work included). */
export function machineUse(cpu: CpuPart[], cores: number): number | undefined {
  const machine = cpu.find((share) => share.part.startsWith('machine'));
  return machine === undefined ? undefined : machine.cores / cores;
}

/** Counts as scaling when one step up gives at least this much more. */
export const scalingGain = 1.15;

type Measured = ScalingRun & { result: { status: 'measured' } & ScalingFigures };
const measured = (runs: ScalingRun[]) =>
  runs.filter((run): run is Measured => run.result.status === 'measured');

/**
 * In words: at each partition count, the replicas at which one more step stopped adding at least
 * 15 %, what the partitions changed, and the process closest to its capacity there. Never
 * claims more than the runs show.
 */
export function scalingVerdict(runs: ScalingRun[], cores: number): string {
  const done = measured(runs);
  if (done.length === 0) return 'No run of the curve was measured, so there is no verdict.';
  const rate = (run: Measured) => run.result.sustainedRecordsPerSecond;
  const sentences: string[] = [];
  const partitionCounts = [...new Set(done.map((run) => run.partitions))].sort((a, b) => a - b);
  let stopAt: Measured | undefined;
  for (const partitions of partitionCounts) {
    const line = done.filter((run) => run.partitions === partitions).sort((a, b) => a.replicas - b.replicas);
    if (line.length < 2) continue;
    const stop = line.findIndex((run, i) => i > 0 && rate(run) < rate(line[i - 1]!) * scalingGain);
    if (stop < 0) {
      sentences.push(
        `With ${partitions} partitions it still scales up to ${line.at(-1)!.replicas} replicas per function (each step at least +${Math.round((scalingGain - 1) * 100)} %).`,
      );
    } else {
      const before = line[stop - 1]!;
      const after = line[stop]!;
      const change = (rate(after) / rate(before) - 1) * 100;
      sentences.push(
        `With ${partitions} partitions it stops scaling at ${before.replicas} replica${before.replicas === 1 ? '' : 's'} per function: ${after.replicas} give ${change >= 0 ? '+' : ''}${change.toFixed(0)} % (${Math.round(rate(before)).toLocaleString('en-US')} -> ${Math.round(rate(after)).toLocaleString('en-US')} records/s).`,
      );
      stopAt ??= before;
    }
  }
  const replicaCounts = [...new Set(done.map((run) => run.replicas))];
  const partitionEffects = replicaCounts.flatMap((replicas) => {
    const line = done.filter((run) => run.replicas === replicas).sort((a, b) => a.partitions - b.partitions);
    return line.length < 2
      ? []
      : [
          `${replicas} replica${replicas === 1 ? '' : 's'}: ${line.map((run) => `${run.partitions} partitions ${Math.round(rate(run)).toLocaleString('en-US')}/s`).join(', ')}`,
        ];
  });
  if (partitionEffects.length > 0) sentences.push(`Partitions: ${partitionEffects.join('; ')}.`);
  const best = done.reduce((top, run) => (rate(run) > rate(top) ? run : top));
  const where = stopAt ?? best;
  const [first] = saturation(where.result.cpu, where.replicas, cores);
  const busy = machineUse(where.result.cpu, cores);
  const ours = where.result.cpu
    .filter((share) => !share.part.startsWith('machine'))
    .reduce((sum, share) => sum + share.cores, 0);
  if (first !== undefined) {
    sentences.push(
      `What saturates (${where.partitions} partitions, ${where.replicas} replica${where.replicas === 1 ? '' : 's'}): ${first.part}, at ${first.cores.toFixed(2)} of the ${first.capacity} core${first.capacity === 1 ? '' : 's'} it can use (${Math.round(first.use * 100)} %)` +
        (busy === undefined
          ? '.'
          : `; the machine's ${cores} cores were ${Math.round(busy * 100)} % busy, ${ours.toFixed(2)} cores of it this run's processes${busy >= 0.9 ? ', so every added replica competes for the same cores instead of adding any' : ''}.`),
    );
  }
  return sentences.join(' ');
}
