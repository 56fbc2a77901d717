// Pure parts of the echo-stage anchor: percentiles, the figures of one drain, and their text.
import { CdnfaasError } from '../../lib/errors.ts';
import type { MissingClient } from '../../lib/rdkafka.ts';

export type { MissingClient } from '../../lib/rdkafka.ts';

export interface EchoFigures {
  recordsPerSecond: number;
  commitLatencyMs: { p50: number; p99: number };
  transactions: number;
  cpuMicrosPerRecord: number;
  /** Produce one record to an idle stage's input until a read_committed reader sees it; median of probes. */
  oneRecordLatencyMs?: number;
}

/** What a running stage counts while it drains; the figures are shaped from it afterwards. */
export interface EchoCounters {
  records: number;
  transactions: number;
  commitLatenciesMs: number[];
  /** performance.now() when the first consumed record arrived: the drain is timed from here. */
  firstRecordAt: number | undefined;
  /** performance.now() when the last transaction committed. */
  lastCommitAt: number | undefined;
  /** Set when the stage fails, so whoever waits on the counters stops waiting. */
  failure: unknown;
}

export function newCounters(): EchoCounters {
  return {
    records: 0,
    transactions: 0,
    commitLatenciesMs: [],
    firstRecordAt: undefined,
    lastCommitAt: undefined,
    failure: undefined,
  };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new CdnfaasError('INVALID_INPUT', `percentile ${p} is outside 0..100`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** The figures of one drain: counters, plus the CPU the whole process spent (µs) over the drain. */
export function shapeFigures(counters: EchoCounters, cpuMicros: number): EchoFigures {
  const { records, firstRecordAt, lastCommitAt } = counters;
  if (records === 0 || firstRecordAt === undefined || lastCommitAt === undefined) {
    throw new CdnfaasError('INVALID_INPUT', 'an echo drain with no committed records has no figures');
  }
  // A drain that fits in one instant still took at least a millisecond.
  const seconds = Math.max(lastCommitAt - firstRecordAt, 1) / 1000;
  return {
    recordsPerSecond: Math.round(records / seconds),
    commitLatencyMs: {
      p50: round(percentile(counters.commitLatenciesMs, 50), 2),
      p99: round(percentile(counters.commitLatenciesMs, 99), 2),
    },
    transactions: counters.transactions,
    cpuMicrosPerRecord: round(cpuMicros / records, 2),
  };
}

export function isMissing(figures: EchoFigures | MissingClient): figures is MissingClient {
  return 'status' in figures && figures.status === 'missing';
}

/** One line per client, for the terminal. */
export function describeFigures(client: string, figures: EchoFigures | MissingClient): string {
  if (isMissing(figures)) return `${client}: missing (${figures.reason})`;
  const latency = figures.oneRecordLatencyMs === undefined ? 'n/a' : `${figures.oneRecordLatencyMs} ms`;
  return (
    `${client}: ${figures.recordsPerSecond} records/s, commit p50 ${figures.commitLatencyMs.p50} ms` +
    ` p99 ${figures.commitLatencyMs.p99} ms, ${figures.transactions} transactions,` +
    ` ${figures.cpuMicrosPerRecord} µs CPU/record, one-record latency ${latency}`
  );
}

export interface EchoArgs {
  records: number;
  partitions: number;
  brokers: string[];
}

/** `--records N --partitions N --brokers a,b`; anything else is an error, not a silent default. */
export function parseEchoArgs(argv: readonly string[], defaults: EchoArgs): EchoArgs {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new CdnfaasError('INVALID_INPUT', `${flag} needs a value`);
    if (flag === '--records') args.records = positiveInteger(flag, value);
    else if (flag === '--partitions') args.partitions = positiveInteger(flag, value);
    else if (flag === '--brokers') args.brokers = value.split(',').filter((broker) => broker !== '');
    else
      throw new CdnfaasError('INVALID_INPUT', `unknown option ${flag}`, {
        hint: 'use --records, --partitions, --brokers',
      });
  }
  return args;
}

function positiveInteger(flag: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new CdnfaasError('INVALID_INPUT', `${flag} must be a positive integer, got ${value}`);
  }
  return parsed;
}

/** The topics and group of one echo run; names are unique per run. */
export interface EchoTopics {
  brokers: string[];
  input: string;
  output: string;
  groupId: string;
  transactionalId: string;
}

/** A running echo stage: consumes, echoes and commits until stopped. */
export interface EchoStage {
  stop(): Promise<void>;
}

export type StartEchoStage = (topics: EchoTopics, counters: EchoCounters) => Promise<EchoStage>;
