// The benchmark's closing text: figures against their targets, and where the time went.
import type { StageTiming } from './stage-metrics.ts';
import type { CpuShare } from './process-cpu.ts';
import type { LatencyResult, ThroughputResult } from './phases.ts';

export const targets = {
  sustainedRecordsPerSecond: 20_000,
  p50Ms: 100,
  p99Ms: 250,
  idleMs: 100,
  cpuMicrosPerRecord: 80,
} as const;

export interface PipelineBenchResult {
  at: string;
  machine: { cores: number; loadAverageAtStart: number[] };
  /** Single records, each produced alone on an idle system. */
  idle: LatencyResult;
  latency: LatencyResult;
  throughput: ThroughputResult;
  cpu: { latency: CpuShare[]; throughput: CpuShare[] };
  stages: { latency: StageTiming[]; throughput: StageTiming[] };
  storedAtEnd: { clientData: number; predictions: number; expected: number };
  targets: typeof targets;
  met: { throughput: boolean; p50: boolean; p99: boolean; idle: boolean; cpu: boolean };
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');

/** The system's own share of the CPU, and what the rest of the machine used meanwhile. Pure. */
export function cpuSplit(shares: CpuShare[]): { system: number; other: number } {
  const machine = shares.find((share) => share.part.startsWith('machine'))?.cores ?? 0;
  const system = shares
    .filter((share) => !share.part.startsWith('machine'))
    .reduce((sum, share) => sum + share.cores, 0);
  return { system, other: Math.max(0, machine - system) };
}

function cpuLines(shares: CpuShare[]): string[] {
  const { system, other } = cpuSplit(shares);
  return [
    ...shares.map((share) => `    ${share.part.padEnd(34)} ${n(share.cores, 2)} cores`),
    `    ${'(the system and benchmark together)'.padEnd(34)} ${n(system, 2)} cores; other work on the machine: ${n(other, 2)} cores`,
  ];
}

function stageLines(timings: StageTiming[]): string[] {
  return timings
    .filter((timing) => timing.batches > 0)
    .map(
      (t) =>
        `    ${t.function.padEnd(18)} ${n(t.batches).padStart(6)} cycles, ${n(t.records / t.batches).padStart(5)} rec/cycle; ` +
        `per record: fetch wait ${n(t.fetchWaitMs, 1)} ms, batch wait ${n(t.batchWaitMs, 1)} ms; ` +
        `per cycle: queued ${n(t.queuedMs, 1)} ms, invoke ${n(t.invokeMs, 1)} ms, publish wait ${n(t.publishWaitMs, 1)} ms, ` +
        `produce ${n(t.produceMs, 1)} ms, commit ${n(t.commitMs, 1)} ms`,
    );
}

/** CPU of every part of the system and the benchmark, per record of the throughput phase. Pure. */
export function cpuMicrosPerRecord(result: Pick<PipelineBenchResult, 'cpu' | 'throughput'>): number {
  const { throughput: t } = result;
  return (cpuSplit(result.cpu.throughput).system * t.seconds * 1e6) / t.records;
}

export function formatReport(result: PipelineBenchResult, outFile: string): string {
  const { latency: l, throughput: t } = result;
  const lines = [
    '',
    `cdnfaas pipeline benchmark (${result.machine.cores} cores, load average at start ${result.machine.loadAverageAtStart.map((v) => v.toFixed(1)).join(' ')})`,
    '',
    `Throughput: ${n(t.records)} generated records replayed as fast as possible`,
    `  sustained (slower measurement, 10 % -> 90 % stored)  ${n(t.sustainedRate).padStart(8)} records/s   target >= ${n(targets.sustainedRecordsPerSecond)}  ${verdict(result.met.throughput)}`,
    `  end to end (replay start -> last point stored)       ${n(t.endToEndRate).padStart(8)} records/s   (${n(t.seconds, 1)} s)`,
    `  replay into cdn_raw alone                            ${n(t.replayRate).padStart(8)} records/s`,
    ...Object.entries(t.marks).map(
      ([m, mark]) =>
        `  ${m.padEnd(16)} 10 % at ${n(mark.p10 ?? NaN, 1)} s, 90 % at ${n(mark.p90 ?? NaN, 1)} s, all at ${n(mark.done ?? NaN, 1)} s`,
    ),
    '  lag per stage (peak, when, drained):',
    ...t.lag.map(
      (g) =>
        `    ${g.function.padEnd(18)} ${n(g.peak).padStart(8)} at ${n(g.peakAtS, 0)} s, drained ${g.drainedAtS === undefined ? 'never seen' : `at ${n(g.drainedAtS, 0)} s`}`,
    ),
    '  connector batches:',
    ...stageLines(result.stages.throughput),
    '  CPU (average over the phase):',
    ...cpuLines(result.cpu.throughput),
    `  CPU per record, all parts: ${n(cpuMicrosPerRecord(result))} µs (target <= ${targets.cpuMicrosPerRecord} µs  ${verdict(result.met.cpu)}); ` +
      `with all ${result.machine.cores} cores and no other work that bounds the rate near ` +
      `${n(result.machine.cores / ((cpuSplit(result.cpu.throughput).system * t.seconds) / t.records))} records/s`,
    '',
    `Idle: ${n(result.idle.measured)} single records, each alone on an idle system, raw record due -> prediction stored`,
    `  p50 ${n(result.idle.p50)} ms   max ${n(result.idle.max)} ms   target <= ${targets.idleMs} ms  ${verdict(result.met.idle)}`,
    '',
    `Latency: ${n(l.produced)} records at a steady ${n(l.rate)}/s for ${n(l.seconds)} s, raw record due -> prediction write acknowledged by InfluxDB`,
    `  p50 ${n(l.p50)} ms   p90 ${n(l.p90)} ms   p99 ${n(l.p99)} ms   max ${n(l.max)} ms   (${n(l.measured)} records)   targets p50 <= ${targets.p50Ms} ms, p99 <= ${targets.p99Ms} ms  ${verdict(result.met.p99 && result.met.p50)}`,
    `  producer fell behind its schedule by at most ${n(l.producerMaxDelayMs, 1)} ms`,
    '  connector batches:',
    ...stageLines(result.stages.latency),
    '  CPU (average over the phase):',
    ...cpuLines(result.cpu.latency),
    '',
    `Stored at the end: ${n(result.storedAtEnd.clientData)} cdn_client_data, ${n(result.storedAtEnd.predictions)} predictions (expected ${n(result.storedAtEnd.expected)} each)`,
    '',
    'How it is measured: the loaders of this run write to InfluxDB through a pass-through proxy in the',
    'benchmark process, which notes when InfluxDB acknowledged each sample_id (the loaders answer only',
    'after that, so it is the moment the point is stored and queryable). A latency record is produced',
    'to a partition the benchmark picks; its offset gives its sample_id (UUID over content and',
    'coordinates), so each stored prediction is matched to the moment its raw record was due',
    '(records go out in one request per 5 ms at most; that wait is part of the latency).',
    'The proxy adds one local HTTP hop to every write; figures are, if anything, pessimistic.',
    `Result file: ${outFile}`,
  ];
  return lines.join('\n');
}
