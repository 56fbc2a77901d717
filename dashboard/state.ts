import { cpuPercent, networkRates, type CpuTimes, type NetworkCounters } from './reducers/host.ts';
import { latencyStats } from './reducers/histogram.ts';
import { counterRate, invocationRates } from './reducers/rates.ts';
import type { Sample } from './reducers/samples.ts';
import type { DashboardSources, SourceName } from './sources/types.ts';

/** What one call of a source gave: its value, its error, or nothing because it is not configured. */
export type Outcome<T> = { state: 'ok'; value: T } | { state: 'error'; message: string } | { state: 'off' };

type SourceValue<K extends SourceName> = Awaited<ReturnType<NonNullable<DashboardSources[K]>>>;

/** One tick: every source's outcome at one instant (ms since 1970). */
export type Reading = { at: number } & { [K in SourceName]: Outcome<SourceValue<K>> };

/** The per-tick values the charts plot; a key absent means the source failed at that tick. */
export interface HistoryPoint {
  t: number;
  topicRates?: Record<string, number>;
  storedRates?: Record<string, number>;
  lag?: Record<string, number>;
  replicas?: Record<string, number>;
  invocations?: Record<string, number>;
  latencyMeanMs?: Record<string, number | null>;
  latencyP95Ms?: Record<string, number | null>;
  host?: { cpuPercent: number | null; memoryPercent: number };
  network?: { rxPerSecond: number; txPerSecond: number };
}

export interface DashboardState {
  history: HistoryPoint[];
  /** The latest tick, for tables and current values. */
  latest: Reading | undefined;
  /** The last successful value of each source that rates are computed from, with its time. */
  previous: {
    offsets?: { at: number; value: Map<string, number> };
    stored?: { at: number; value: Map<string, number> };
    metrics?: { at: number; value: Sample[] };
    cpu?: CpuTimes;
    network?: { at: number; value: NetworkCounters };
  };
}

export interface StateOptions {
  /** Points kept per chart. */
  historyLength: number;
  invocationMetric: string;
  latencyMetric: string;
}

export const emptyState: DashboardState = { history: [], latest: undefined, previous: {} };

function rateRecord(
  previous: { at: number; value: Map<string, number> } | undefined,
  current: Map<string, number>,
  at: number,
): Record<string, number> {
  const seconds = previous ? (at - previous.at) / 1000 : 0;
  return Object.fromEntries(
    [...current].map(([key, value]) => [key, counterRate(previous?.value.get(key), value, seconds)]),
  );
}

/** The gateway labels functions `name.namespace` (as OpenFaaS does); names have no dots. */
export const functionName = (label: string) => label.split('.')[0]!;

const toMillis = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

/** Folds one tick into the state: rates against the previous tick, appended to bounded history. */
export function advance(state: DashboardState, reading: Reading, options: StateOptions): DashboardState {
  const at = reading.at;
  const point: HistoryPoint = { t: at / 1000 };
  const previous = { ...state.previous };

  if (reading.topicOffsets.state === 'ok') {
    const offsets = new Map(reading.topicOffsets.value.map((t) => [t.topic, t.endOffset]));
    point.topicRates = rateRecord(previous.offsets, offsets, at);
    previous.offsets = { at, value: offsets };
  }
  if (reading.storedCounts.state === 'ok') {
    const stored = new Map(reading.storedCounts.value.map((s) => [s.measurement, s.points]));
    point.storedRates = rateRecord(previous.stored, stored, at);
    previous.stored = { at, value: stored };
  }
  if (reading.lag.state === 'ok') {
    point.lag = {};
    for (const group of reading.lag.value)
      point.lag[group.group] = (point.lag[group.group] ?? 0) + group.totalLag;
  }
  if (reading.functions.state === 'ok') {
    point.replicas = Object.fromEntries(reading.functions.value.map((f) => [f.name, f.availableReplicas]));
  }
  if (reading.metrics.state === 'ok') {
    const before = previous.metrics;
    const seconds = before ? (at - before.at) / 1000 : 0;
    const samples = reading.metrics.value;
    const invocations = invocationRates(before?.value ?? [], samples, seconds, options.invocationMetric);
    const latency = latencyStats(
      before?.value ?? [],
      samples,
      seconds,
      options.latencyMetric,
      'function_name',
    );
    point.invocations = Object.fromEntries(
      [...invocations].map(([fn, stats]) => [functionName(fn), before ? stats.rate : 0]),
    );
    point.latencyMeanMs = Object.fromEntries(
      [...latency].map(([fn, stats]) => [functionName(fn), toMillis(stats.meanSeconds)]),
    );
    point.latencyP95Ms = Object.fromEntries(
      [...latency].map(([fn, stats]) => [functionName(fn), toMillis(stats.p95Seconds)]),
    );
    previous.metrics = { at, value: samples };
  }
  if (reading.host.state === 'ok') {
    const host = reading.host.value;
    const used = host.memory.totalBytes - host.memory.availableBytes;
    point.host = {
      cpuPercent: cpuPercent(previous.cpu, host.cpu),
      memoryPercent: host.memory.totalBytes > 0 ? (100 * used) / host.memory.totalBytes : 0,
    };
    previous.cpu = host.cpu;
    if (host.network) {
      const rates = networkRates(
        previous.network?.value,
        host.network,
        previous.network ? (at - previous.network.at) / 1000 : 0,
      );
      if (rates) point.network = rates;
      previous.network = { at, value: host.network };
    }
  }
  const history = [...state.history, point].slice(-options.historyLength);
  return { history, latest: reading, previous };
}
