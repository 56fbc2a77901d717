// InfluxDB's own write limit: line protocol POSTed to /api/v2/write in large batches (the
// loaders' request size), one request at a time and several at once, into a scratch database.
import { request } from 'undici';
import { CdnfaasError } from '../../lib/errors.ts';

export interface InfluxLimit {
  points: number;
  linesPerRequest: number;
  /** Points/s with one request in flight, as one loader replica writes. */
  sequentialPointsPerSecond: number;
  /** Points/s with `parallel` requests in flight. */
  parallelPointsPerSecond: number;
  parallel: number;
}

/** One InfluxQL statement (create or drop the scratch database), refused with InfluxDB's answer. */
export async function influxQl(url: string, token: string, q: string): Promise<void> {
  const response = await request(`${url}/query`, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }).toString(),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new CdnfaasError(
      'UPSTREAM_FAILED',
      `InfluxDB refused ${q}: ${response.statusCode} ${text.slice(0, 200)}`,
    );
}

/** The /api/v2/write address of a scratch database, nanosecond timestamps as the loaders write. */
export function writeUrl(url: string, database: string): string {
  return `${url}/api/v2/write?org=cdnfaas&bucket=${encodeURIComponent(database)}&precision=ns`;
}

/** One POST of line protocol to a write address, refused with InfluxDB's answer. */
export async function writeLines(target: string, token: string, body: string): Promise<void> {
  const response = await request(target, {
    method: 'POST',
    headers: { authorization: `Token ${token}`, 'content-type': 'text/plain; charset=utf-8' },
    body,
  });
  const text = await response.body.text();
  if (response.statusCode !== 204)
    throw new CdnfaasError(
      'UPSTREAM_FAILED',
      `InfluxDB refused a write: ${response.statusCode} ${text.slice(0, 200)}`,
    );
}

/** Writes `bodies` with `parallel` requests in flight; resolves with the seconds it took. */
async function writeAll(
  url: string,
  token: string,
  database: string,
  bodies: string[],
  parallel: number,
): Promise<number> {
  const target = writeUrl(url, database);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < bodies.length) await writeLines(target, token, bodies[next++]!);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Splits lines into request bodies of `size` lines. Pure. */
export function bodiesOf(lines: readonly string[], size: number): string[] {
  const bodies: string[] = [];
  for (let start = 0; start < lines.length; start += size)
    bodies.push(lines.slice(start, start + size).join('\n'));
  return bodies;
}

export async function measureInfluxLimit(options: {
  url: string;
  token: string;
  /** Line-protocol lines; run twice (sequential, then parallel), each into a fresh database. */
  lines: (round: number) => string[];
  linesPerRequest: number;
  parallel: number;
  say: (line: string) => void;
}): Promise<InfluxLimit> {
  const id = Date.now().toString(36);
  const seconds: number[] = [];
  let points = 0;
  for (const [round, parallel] of [1, options.parallel].entries()) {
    const database = `cdnfaas_bench_${id}_${round}`;
    const lines = options.lines(round);
    points = lines.length;
    await influxQl(options.url, options.token, `CREATE DATABASE "${database}"`);
    try {
      options.say(
        `  InfluxDB: ${points.toLocaleString('en-US')} points, ${options.linesPerRequest} lines per request, ${parallel} in flight`,
      );
      seconds.push(
        await writeAll(
          options.url,
          options.token,
          database,
          bodiesOf(lines, options.linesPerRequest),
          parallel,
        ),
      );
    } finally {
      await influxQl(options.url, options.token, `DROP DATABASE "${database}"`).catch(() => undefined);
    }
  }
  return {
    points,
    linesPerRequest: options.linesPerRequest,
    sequentialPointsPerSecond: points / seconds[0]!,
    parallelPointsPerSecond: points / seconds[1]!,
    parallel: options.parallel,
  };
}
