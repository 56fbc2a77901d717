import type { Sample } from './samples.ts';

/** Sums the samples of one metric per value of one label (other labels are summed over). */
export function sumByLabel(samples: Sample[], name: string, label: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name !== name) continue;
    const key = sample.labels[label];
    if (key === undefined) continue;
    sums.set(key, (sums.get(key) ?? 0) + sample.value);
  }
  return sums;
}

/**
 * Per-second increase of a counter between two readings. A counter that went down was reset
 * (its process restarted): the new value is all the increase since the reset, as Prometheus's
 * rate() assumes.
 */
export function counterRate(previous: number | undefined, current: number, seconds: number): number {
  if (!(seconds > 0)) return 0;
  if (previous === undefined) return 0;
  const increase = current >= previous ? current - previous : current;
  return increase / seconds;
}

/** Rates of a counter per label value; a key absent before starts at zero increase. */
export function ratesByLabel(
  previous: Map<string, number>,
  current: Map<string, number>,
  seconds: number,
): Map<string, number> {
  const rates = new Map<string, number>();
  for (const [key, value] of current) rates.set(key, counterRate(previous.get(key), value, seconds));
  return rates;
}

export interface InvocationStats {
  /** Invocations per second (all status codes). */
  rate: number;
  /** Invocations per second that answered with a status code of 400 or more. */
  errorRate: number;
}

/** Invocation and error rates per function from gateway_function_invocation_total{function_name,code}. */
export function invocationRates(
  previous: Sample[],
  current: Sample[],
  seconds: number,
  metric: string,
): Map<string, InvocationStats> {
  const totals = (samples: Sample[], errorsOnly: boolean) =>
    sumByLabel(
      samples.filter((sample) => !errorsOnly || Number(sample.labels.code) >= 400),
      metric,
      'function_name',
    );
  const all = ratesByLabel(totals(previous, false), totals(current, false), seconds);
  const errors = ratesByLabel(totals(previous, true), totals(current, true), seconds);
  const stats = new Map<string, InvocationStats>();
  for (const [name, rate] of all) stats.set(name, { rate, errorRate: errors.get(name) ?? 0 });
  return stats;
}
