// The replay burst: the 22,109 rows of the published test file go through the replay code of
// `npx cdnfaas replay` (as fast as possible, its own chunking) into a running, warmed-up system;
// measured is how long after the replay returns both measurements hold every row.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CdnfaasError } from '../../lib/errors.ts';
import { readCsvRecords } from '../../simulator/csv-rows.ts';
import { loadConfig, projectRoot } from '../../system/config.ts';
import { startSystem } from '../../test/support/system.ts';
import { measurements } from '../pipeline/phases.ts';
import { generatedRecords } from '../pipeline/workload.ts';
import { startWriteProxy, type WriteProxy } from '../pipeline/write-proxy.ts';

export const testFile = join(projectRoot, '..', 'shared', 'data', 'test_cdn.csv');

export interface ReplayBurstResult {
  file: string;
  rows: number;
  /** Seconds the replay took to return (every record acknowledged by Kafka). */
  replaySeconds: number;
  /** Seconds from the replay returning until both measurements held every row. */
  storedAfterReplaySeconds: number;
  /** The same per measurement. */
  perMeasurement: Record<string, number>;
  /** Records run through first and waited for, so start-up is not what is measured. */
  warmupRecords: number;
}

/** Resolves when `done()` holds; rejects with TIMEOUT and the counts when the deadline passes. */
async function until(done: () => boolean, timeoutMs: number, counts: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline)
      throw new CdnfaasError(
        'TIMEOUT',
        `not all stored ${Math.round(timeoutMs / 1000)} s after the replay: ${counts()}`,
      );
    await sleep(5);
  }
}

export async function measureReplayBurst(options: {
  file?: string;
  warmupRecords?: number;
  say: (line: string) => void;
}): Promise<ReplayBurstResult> {
  const file = options.file ?? testFile;
  if (!existsSync(file))
    throw new CdnfaasError('CONFIG_NOT_FOUND', `${file} does not exist (the published CDN test file)`);
  const rows = await readCsvRecords(file);
  const warmupRecords = options.warmupRecords ?? 3_000;
  const config = loadConfig();
  const proxy: WriteProxy = await startWriteProxy(config.influxdb.url);
  const system = await startSystem({
    label: 'burst',
    functionEnv: { 'load-data': { INFLUX_URL: proxy.url }, 'load-predictions': { INFLUX_URL: proxy.url } },
    log: (line) => options.say(`    ${line}`),
  });
  try {
    // Warm-up: JIT, connections and consumer groups, as on a system that has been running.
    options.say(`    warm-up: ${warmupRecords} generated records`);
    await system.replay(generatedRecords(warmupRecords, 23));
    await until(
      () => measurements.every((m) => proxy.stored(m) >= warmupRecords),
      120_000,
      () => measurements.map((m) => `${m} ${proxy.stored(m)}`).join(', '),
    );
    await sleep(2_000);
    const base = Object.fromEntries(measurements.map((m) => [m, proxy.stored(m)]));
    const storedOf = (m: string) => proxy.stored(m) - base[m]!;
    options.say(`    burst: ${rows.length} rows of ${file}`);
    const started = performance.now();
    await system.replay(rows);
    const returned = performance.now();
    const perMeasurement: Record<string, number> = {};
    await until(
      () => {
        for (const m of measurements)
          if (perMeasurement[m] === undefined && storedOf(m) >= rows.length)
            perMeasurement[m] = (performance.now() - returned) / 1000;
        return measurements.every((m) => perMeasurement[m] !== undefined);
      },
      120_000,
      () => measurements.map((m) => `${m} ${storedOf(m)} of ${rows.length}`).join(', '),
    );
    const result = {
      file,
      rows: rows.length,
      replaySeconds: (returned - started) / 1000,
      storedAfterReplaySeconds: Math.max(...Object.values(perMeasurement)),
      perMeasurement,
      warmupRecords,
    };
    options.say(
      `    replay returned after ${result.replaySeconds.toFixed(1)} s; all stored ${result.storedAfterReplaySeconds.toFixed(2)} s later`,
    );
    return result;
  } finally {
    await system.stop();
    await proxy.close();
  }
}
