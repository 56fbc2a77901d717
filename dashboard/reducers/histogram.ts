import type { Sample } from './samples.ts';
import { counterRate } from './rates.ts';

export interface LatencyStats {
  /** Observations per second in the interval. */
  rate: number;
  /** Mean duration in seconds over the interval, null when nothing was observed. */
  meanSeconds: number | null;
  /** 95th percentile in seconds, interpolated within buckets as histogram_quantile() does. */
  p95Seconds: number | null;
}

interface HistogramReading {
  sum: number;
  count: number;
  /** Cumulative bucket counts by upper bound, ascending. */
  buckets: [number, number][];
}

/** Groups a histogram's _sum, _count and _bucket samples per value of one label. */
export function readHistograms(
  samples: Sample[],
  metric: string,
  label: string,
): Map<string, HistogramReading> {
  const readings = new Map<string, HistogramReading>();
  const entry = (key: string) => {
    let reading = readings.get(key);
    if (!reading) readings.set(key, (reading = { sum: 0, count: 0, buckets: [] }));
    return reading;
  };
  for (const sample of samples) {
    const key = sample.labels[label];
    if (key === undefined) continue;
    if (sample.name === `${metric}_sum`) entry(key).sum += sample.value;
    else if (sample.name === `${metric}_count`) entry(key).count += sample.value;
    else if (sample.name === `${metric}_bucket` && sample.labels.le !== undefined) {
      const bound = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
      const buckets = entry(key).buckets;
      const existing = buckets.find(([le]) => le === bound);
      if (existing) existing[1] += sample.value;
      else buckets.push([bound, sample.value]);
    }
  }
  for (const reading of readings.values()) reading.buckets.sort((a, b) => a[0] - b[0]);
  return readings;
}

/** The q-quantile of cumulative bucket counts, linear within the bucket (Prometheus semantics). */
export function bucketQuantile(q: number, buckets: [number, number][]): number | null {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

function difference(previous: HistogramReading | undefined, current: HistogramReading): HistogramReading {
  const reset = previous === undefined || current.count < previous.count;
  if (reset) return previous === undefined ? { sum: 0, count: 0, buckets: [] } : current;
  return {
    sum: current.sum - previous.sum,
    count: current.count - previous.count,
    buckets: current.buckets.map(([bound, count]) => [
      bound,
      count - (previous.buckets.find(([le]) => le === bound)?.[1] ?? 0),
    ]),
  };
}

/** Latency per label value over the interval between two scrapes of a histogram. */
export function latencyStats(
  previous: Sample[],
  current: Sample[],
  seconds: number,
  metric: string,
  label: string,
): Map<string, LatencyStats> {
  const before = readHistograms(previous, metric, label);
  const stats = new Map<string, LatencyStats>();
  for (const [key, now] of readHistograms(current, metric, label)) {
    const delta = difference(before.get(key), now);
    stats.set(key, {
      rate: counterRate(before.get(key)?.count, now.count, seconds),
      meanSeconds: delta.count > 0 ? delta.sum / delta.count : null,
      p95Seconds: delta.count > 0 ? bucketQuantile(0.95, delta.buckets) : null,
    });
  }
  return stats;
}
