// The two measured phases of `npm run bench:pipeline`, each against a running system whose
// loaders write through the acknowledging proxy (write-proxy.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { RawRecord } from '../../contracts/raw-record.ts';
import type { RunningSystem, StageLag } from '../../test/support/system.ts';
import { producePaced } from './paced-producer.ts';
import { percentile } from './workload.ts';
import type { WriteProxy } from './write-proxy.ts';

export const measurements = ['cdn_client_data', 'predictions'] as const;

function bars() {
  return new cliProgress.MultiBar(
    {
      format: ' {phase} |{bar}| {value}/{total} {note}',
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 2_000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

export interface LatencyResult {
  rate: number;
  seconds: number;
  produced: number;
  /** Records whose prediction was stored (ok records; a produced record is always valid here). */
  measured: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** How far the producer itself ever fell behind its schedule (ms). */
  producerMaxDelayMs: number;
}

/**
 * Records produced at a steady rate; latency = moment InfluxDB acknowledged the write holding the
 * record's prediction minus the moment the raw record was due to be produced.
 */
export async function latencyPhase(
  system: RunningSystem,
  proxy: WriteProxy,
  records: RawRecord[],
  rate: number,
  label: string,
): Promise<LatencyResult> {
  const multibar = bars();
  const sentBar = multibar.create(records.length, 0, {
    phase: `${label} produced `.padEnd(28),
    note: `at ${rate}/s`,
  });
  const storedBar = multibar.create(records.length, 0, {
    phase: `${label} predictions`.padEnd(28),
    note: '',
  });
  const predictions = () => proxy.acknowledged.first.get('predictions') ?? new Map<string, number>();
  const dueAt = new Map<string, number>();
  const timer = setInterval(() => {
    let stored = 0;
    for (const id of dueAt.keys()) if (predictions().has(id)) stored += 1;
    storedBar.update(stored);
  }, 500);
  try {
    const produced = await producePaced({
      kafka: system.kafka,
      topic: system.topic('cdn_raw'),
      partitions: system.config.topics.find((topic) => topic.name === 'cdn_raw')?.partitions ?? 6,
      rate,
      records,
      dueAt,
      onProgress: (sent) => sentBar.update(sent),
    });
    await until(
      () => [...dueAt.keys()].every((id) => predictions().has(id)),
      120_000,
      `${label}: predictions stored`,
    );
    const latencies = [...dueAt].map(([id, due]) => predictions().get(id)! - due);
    return {
      rate,
      seconds: records.length / rate,
      produced: produced.sent,
      measured: latencies.length,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
      producerMaxDelayMs: produced.maxSendDelayMs,
    };
  } finally {
    clearInterval(timer);
    multibar.stop();
  }
}

export interface ThroughputResult {
  records: number;
  /** Replay (producing to cdn_raw as fast as it goes), records/s. */
  replayRate: number;
  /** Records / (last point of either measurement stored - replay start). */
  endToEndRate: number;
  /** Records/s while the slower measurement went from 10 % to 90 % stored. */
  sustainedRate: number;
  seconds: number;
  /** Per measurement: seconds after the replay start at which 10 %, 90 % and 100 % were stored. */
  marks: Record<string, { p10?: number; p90?: number; done?: number }>;
  lag: { function: string; peak: number; peakAtS: number; drainedAtS?: number }[];
}

/** Replays records as fast as possible and times them into both measurements. */
export async function throughputPhase(
  system: RunningSystem,
  proxy: WriteProxy,
  records: RawRecord[],
  chunkSize: number,
  onSecond: () => void,
): Promise<ThroughputResult> {
  const total = records.length;
  const base = Object.fromEntries(measurements.map((m) => [m, proxy.stored(m)]));
  const marks: ThroughputResult['marks'] = Object.fromEntries(measurements.map((m) => [m, {}]));
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  proxy.onWrite(() => {
    for (const m of measurements) {
      const done = proxy.stored(m) - base[m]!;
      const mark = marks[m]!;
      if (mark.p10 === undefined && done >= total * 0.1) mark.p10 = since();
      if (mark.p90 === undefined && done >= total * 0.9) mark.p90 = since();
      if (mark.done === undefined && done >= total) mark.done = since();
    }
  });
  const lagSeries: { at: number; lags: StageLag[] }[] = [];
  const multibar = bars();
  const replayBar = multibar.create(total, 0, { phase: 'replay (as fast as possible)', note: '' });
  const storedBars = measurements.map((m) =>
    multibar.create(total, 0, { phase: `stored ${m}`.padEnd(28), note: '' }),
  );
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      onSecond();
      lagSeries.push({ at: since(), lags: await system.lag().catch(() => []) });
      measurements.forEach((m, i) =>
        storedBars[i]!.update(proxy.stored(m) - base[m]!, {
          note: `${((proxy.stored(m) - base[m]!) / Math.max(since(), 0.001)).toFixed(0)}/s`,
        }),
      );
      await sleep(1000);
    }
  })();
  let replaySeconds = 0;
  try {
    const replay = await system.replay(records, { chunkSize, onProgress: (sent) => replayBar.update(sent) });
    replaySeconds = replay.elapsedMs / 1000;
    await until(
      () => measurements.every((m) => marks[m]!.done !== undefined),
      600_000,
      'throughput: both measurements stored',
    );
  } finally {
    sampling = false;
    await sampler;
    measurements.forEach((m, i) => storedBars[i]!.update(proxy.stored(m) - base[m]!));
    multibar.stop();
  }
  const end = Math.max(...measurements.map((m) => marks[m]!.done!));
  const slowest10 = Math.max(...measurements.map((m) => marks[m]!.p10!));
  const slowest90 = Math.max(...measurements.map((m) => marks[m]!.p90!));
  return {
    records: total,
    replayRate: total / replaySeconds,
    endToEndRate: total / end,
    sustainedRate: (total * 0.8) / (slowest90 - slowest10),
    seconds: end,
    marks,
    lag: lagSummary(lagSeries),
  };
}

/** Peak lag per function and when it drained (the first zero after its peak). Pure. */
export function lagSummary(series: { at: number; lags: StageLag[] }[]): ThroughputResult['lag'] {
  const names = [...new Set(series.flatMap((entry) => entry.lags.map((lag) => lag.function)))];
  return names.map((name) => {
    const points = series.map((entry) => ({
      at: entry.at,
      lag: entry.lags.find((lag) => lag.function === name)?.lag ?? 0,
    }));
    const peak = points.reduce((best, point) => (point.lag > best.lag ? point : best), { at: 0, lag: 0 });
    const drained = points.find((point) => point.at > peak.at && point.lag === 0);
    return {
      function: name,
      peak: peak.lag,
      peakAtS: peak.at,
      ...(drained ? { drainedAtS: drained.at } : {}),
    };
  });
}
