/**
 * A closed-loop HTTP load generator meant to run in its own process: `connections` callers, each
 * sending its next request when the previous answer has been read, for a bounded duration, over
 * undici keep-alive connections. Prints one JSON line: requests/s and latency percentiles in ms
 * (microsecond resolution), measured after a warm-up.
 *
 *   tsx bench/loadgen.ts <url> <connections> <durationMs> <warmupMs> [body]
 */
import { Pool } from 'undici';

export interface LoadReport {
  url: string;
  connections: number;
  seconds: number;
  requests: number;
  errors: number;
  non2xx: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runLoad(
  url: string,
  connections: number,
  durationMs: number,
  warmupMs: number,
  body?: string,
): Promise<LoadReport> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const path = `${target.pathname}${target.search}`;
  const latencies = new Float64Array(5_000_000);
  let recorded = 0;
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  const caller = async (): Promise<void> => {
    for (;;) {
      const sent = performance.now();
      if (sent >= end) return;
      try {
        const res = await pool.request({
          path,
          method: body === undefined ? 'GET' : 'POST',
          headers: body === undefined ? {} : { 'content-type': 'text/plain' },
          body: body ?? null,
        });
        await res.body.dump();
        if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
      } catch {
        errors++;
      }
      const done = performance.now();
      if (sent >= measureFrom && done <= end && recorded < latencies.length)
        latencies[recorded++] = done - sent;
    }
  };
  await Promise.all(Array.from({ length: connections }, caller));
  await pool.close();
  const sorted = latencies.subarray(0, recorded).sort();
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    url,
    connections,
    seconds: durationMs / 1000,
    requests: recorded,
    errors,
    non2xx,
    requestsPerSecond: Math.round(recorded / (durationMs / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [url, connections, durationMs, warmupMs, body] = process.argv.slice(2);
  if (url === undefined) {
    console.error('usage: tsx bench/loadgen.ts <url> <connections> <durationMs> <warmupMs> [body]');
    process.exit(2);
  }
  const report = await runLoad(
    url,
    Number(connections ?? 1),
    Number(durationMs ?? 5_000),
    Number(warmupMs ?? 1_000),
    body,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
