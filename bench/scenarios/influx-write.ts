// The InfluxDB write of the latency budget: one POST /api/v2/write of the loaders' line protocol,
// the size of one loader cycle in the steady phase, one request at a time, timed per request into
// a scratch database. The loaders make this call inside their invoke.
import { influxQl, writeLines, writeUrl } from '../limits/influx.ts';
import { percentile } from '../pipeline/workload.ts';

export interface InfluxWriteLatency {
  linesPerRequest: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

/** Request bodies of `size` lines each, `count` of them, cycling through `lines`. Pure. */
export function requestBodies(lines: readonly string[], size: number, count: number): string[] {
  const bodies: string[] = [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    const body: string[] = [];
    for (let j = 0; j < size; j++) body.push(lines[next++ % lines.length]!);
    bodies.push(body.join('\n'));
  }
  return bodies;
}

export async function measureInfluxWrite(options: {
  url: string;
  token: string;
  lines: readonly string[];
  linesPerRequest: number;
  requests: number;
}): Promise<InfluxWriteLatency> {
  const size = Math.max(1, Math.round(options.linesPerRequest));
  const database = `cdnfaas_bench_write_${Date.now().toString(36)}`;
  const target = writeUrl(options.url, database);
  await influxQl(options.url, options.token, `CREATE DATABASE "${database}"`);
  try {
    const times: number[] = [];
    for (const body of requestBodies(options.lines, size, options.requests)) {
      const started = performance.now();
      await writeLines(target, options.token, body);
      times.push(performance.now() - started);
    }
    return {
      linesPerRequest: size,
      requests: times.length,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
    };
  } finally {
    await influxQl(options.url, options.token, `DROP DATABASE "${database}"`).catch(() => undefined);
  }
}
