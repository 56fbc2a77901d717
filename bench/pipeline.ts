/**
 * `npm run bench:pipeline`: the whole system (gateway, connector with its autoscaler, the four
 * functions of stack.yml) on Kafka and InfluxDB of this machine, measured end to end.
 *
 * 1. Warm-up: records at the steady rate, not measured (JIT, connections, consumer groups).
 * 2. Idle: BENCH_IDLE_RECORDS (10) single records, one a second, each alone in the system.
 * 3. Latency: records produced at a steady BENCH_RATE (1,000/s) for BENCH_SECONDS (40 s);
 *    p50/p90/p99 of (prediction stored - raw record due).
 * 4. Throughput: BENCH_RECORDS (120,000) generated records replayed as fast as possible (the
 *    replay's own code, BENCH_CHUNK records per request); records/s until both measurements hold
 *    them all, and the stage lags, connector batch timings and CPU per process on the way.
 *
 * BENCH_STACK names another stack file (e.g. to compare batch settings; default stack.yml).
 * Figures are printed against the targets and written to bench/out/pipeline.json. Kafka and
 * InfluxDB come from `cdnfaas services` (or KAFKA_BROKERS / INFLUX_URL), as in the tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { servicesUp } from '../deploy/local/index.ts';
import { loadConfig, projectRoot } from '../system/config.ts';
import { startSystem } from '../test/support/system.ts';
import { latencyPhase, throughputPhase } from './pipeline/phases.ts';
import type { CpuSampler } from './pipeline/process-cpu.ts';
import { startSystemCpuSampler } from './pipeline/system-cpu.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMicrosPerRecord, formatReport, targets, type PipelineBenchResult } from './pipeline/report.ts';
import { readConnectorMetrics, stageTimings } from './pipeline/stage-metrics.ts';
import { generatedRecords } from './pipeline/workload.ts';
import { startWriteProxy } from './pipeline/write-proxy.ts';
import { benchSettings } from './settings.ts';

const env = process.env;
const settings = benchSettings({
  rate: 1_000,
  seconds: 40,
  warmupSeconds: 5,
  idleRecords: 10,
  records: 120_000,
  chunk: 2_000,
});
const outDir = join(projectRoot, 'bench', 'out');
const outFile = join(outDir, 'pipeline.json');
const say = (line: string) => process.stderr.write(`${line}\n`);

const loadAverageAtStart = loadavg();
const config = loadConfig();
await servicesUp(config, { onProgress: (event) => say(`  ${event.service}: ${event.message}`) });

const warmup = settings.warmupSeconds * settings.rate;
const measured = settings.seconds * settings.rate;
say(`generating ${warmup + measured + settings.records} records`);
const records = generatedRecords(warmup + settings.idleRecords + measured + settings.records, 7);
const idleSlice = records.slice(warmup, warmup + settings.idleRecords);
const latencySlice = records.slice(warmup + settings.idleRecords, warmup + settings.idleRecords + measured);
const throughputSlice = records.slice(warmup + settings.idleRecords + measured);

const proxy = await startWriteProxy(config.influxdb.url);
const system = await startSystem({
  label: 'bench',
  ...(env.BENCH_STACK ? { stackFile: env.BENCH_STACK } : {}),
  functionEnv: { 'load-data': { INFLUX_URL: proxy.url }, 'load-predictions': { INFLUX_URL: proxy.url } },
  log: (line) => say(`  ${line}`),
});

function cpuSampler(): CpuSampler {
  return startSystemCpuSampler(system, config);
}

let result: PipelineBenchResult;
try {
  say(`\nwarm-up: ${settings.warmupSeconds} s at ${settings.rate}/s`);
  await latencyPhase(system, proxy, records.slice(0, warmup), settings.rate, 'warm-up');
  await sleep(2_000);

  say(`\nidle: ${settings.idleRecords} single records, one a second`);
  const idle = await latencyPhase(system, proxy, idleSlice, 1, 'idle');

  say(`\nlatency: ${settings.seconds} s at ${settings.rate}/s`);
  let cpu = cpuSampler();
  let before = await readConnectorMetrics(system.connectorUrl);
  const cpuTimer = setInterval(() => cpu.sample(), 1000);
  const latency = await latencyPhase(system, proxy, latencySlice, settings.rate, 'latency');
  clearInterval(cpuTimer);
  const latencyCpu = cpu.finish();
  const latencyStages = stageTimings(before, await readConnectorMetrics(system.connectorUrl));

  say(`\nthroughput: ${settings.records} records as fast as possible`);
  cpu = cpuSampler();
  before = await readConnectorMetrics(system.connectorUrl);
  const throughput = await throughputPhase(system, proxy, throughputSlice, settings.chunk, () =>
    cpu.sample(),
  );
  const throughputCpu = cpu.finish();
  const throughputStages = stageTimings(before, await readConnectorMetrics(system.connectorUrl));

  const stored = await system.counts();
  result = {
    at: new Date().toISOString(),
    machine: { cores: cpus().length, loadAverageAtStart },
    idle,
    latency,
    throughput,
    cpu: { latency: latencyCpu, throughput: throughputCpu },
    stages: { latency: latencyStages, throughput: throughputStages },
    storedAtEnd: { ...stored, expected: records.length },
    targets,
    met: {
      throughput: throughput.sustainedRate >= targets.sustainedRecordsPerSecond,
      p50: latency.p50 <= targets.p50Ms,
      p99: latency.p99 <= targets.p99Ms,
      idle: idle.p50 <= targets.idleMs,
      cpu:
        cpuMicrosPerRecord({ cpu: { latency: latencyCpu, throughput: throughputCpu }, throughput }) <=
        targets.cpuMicrosPerRecord,
    },
  };
} finally {
  await system.stop();
  await proxy.close();
}

mkdirSync(outDir, { recursive: true });
writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
console.log(formatReport(result, outFile));
if (result.storedAtEnd.clientData !== records.length || result.storedAtEnd.predictions !== records.length) {
  say(`stored counts differ from the ${records.length} records produced`);
  process.exitCode = 1;
}
