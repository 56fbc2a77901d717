// The scaling curve: the whole system with a fixed number of replicas per function (the stack's
// com.openfaas.scale.min/max labels pinned, no autoscaler) and topics of a given partition count,
// a backlog-free replay as fast as possible, records/s and CPU per process for each combination.
//
//   npm run bench:scaling   (BENCH_SCALING_REPLICAS=1,2,4 BENCH_SCALING_PARTITIONS=6,12
//                            BENCH_RECORDS=40000; the table and verdict on stdout)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CdnfaasError } from '../../lib/errors.ts';
import { defaultSourcesFile, loadConfig, projectRoot } from '../../system/config.ts';
import { startSystem } from '../../test/support/system.ts';
import { throughputPhase } from '../pipeline/phases.ts';
import { startSystemCpuSampler } from '../pipeline/system-cpu.ts';
import { generatedRecords } from '../pipeline/workload.ts';
import { startWriteProxy, type WriteProxy } from '../pipeline/write-proxy.ts';
import type { ScalingRun } from '../reporting/scaling.ts';
import { stacksDir, writeStackVariant, type StackYaml } from './stages.ts';

export interface ScalingResult {
  cores: number;
  recordsPerRun: number;
  runs: ScalingRun[];
}

/** stack.yml with every function pinned to `replicas`, handler paths made relative to `dir`. Pure. */
export function fixedReplicaStack(stack: StackYaml, replicas: number, dir: string): StackYaml {
  const functions = Object.fromEntries(
    Object.entries(stack.functions).map(([name, fn]) => [
      name,
      {
        ...fn,
        handler: relative(dir, join(projectRoot, fn.handler)),
        labels: {
          ...fn.labels,
          'com.openfaas.scale.min': String(replicas),
          'com.openfaas.scale.max': String(replicas),
        },
      },
    ]),
  );
  return { ...stack, functions };
}

interface SourcesYaml {
  kafka: { topics: Record<string, { partitions?: number }> } & Record<string, unknown>;
  [key: string]: unknown;
}

/** sources.yaml with every topic but the dead-letter ones at `partitions`. Pure. */
export function sourcesWithPartitions(sources: SourcesYaml, partitions: number): SourcesYaml {
  const topics = Object.fromEntries(
    Object.entries(sources.kafka.topics).map(([name, spec]) => [
      name,
      name.endsWith('.dlq') ? spec : { ...spec, partitions },
    ]),
  );
  return { ...sources, kafka: { ...sources.kafka, topics } };
}

/** The combinations of a run: every replica count at every partition count. */
export function scalingPlan(
  replicas: number[],
  partitions: number[],
): { replicas: number; partitions: number }[] {
  return partitions.flatMap((p) => replicas.map((r) => ({ replicas: r, partitions: p })));
}

async function measureOne(
  replicas: number,
  partitions: number,
  records: number,
  say: (line: string) => void,
): Promise<ScalingRun> {
  const stackFile = writeStackVariant(`stack.scaling-${replicas}.yml`, (stack, dir) =>
    fixedReplicaStack(stack, replicas, dir),
  );
  const sourcesFile = join(stacksDir, `sources.scaling-${partitions}.yaml`);
  const sources = parseYaml(readFileSync(defaultSourcesFile, 'utf8')) as SourcesYaml;
  writeFileSync(sourcesFile, stringifyYaml(sourcesWithPartitions(sources, partitions)));
  const config = loadConfig();
  const proxy = await startWriteProxy(config.influxdb.url);
  try {
    return await measureOnSystem(replicas, partitions, records, { stackFile, sourcesFile, proxy, say });
  } finally {
    await proxy.close();
    rmSync(stackFile, { force: true });
    rmSync(sourcesFile, { force: true });
  }
}

async function measureOnSystem(
  replicas: number,
  partitions: number,
  records: number,
  run: { stackFile: string; sourcesFile: string; proxy: WriteProxy; say: (line: string) => void },
): Promise<ScalingRun> {
  const { stackFile, sourcesFile, proxy, say } = run;
  const config = loadConfig();
  // startSystem takes its topics from the sources file the environment names; set only while it
  // starts (it reads the file once), so nothing else of this process sees another partition count.
  const previous = process.env.CDNFAAS_SOURCES;
  process.env.CDNFAAS_SOURCES = sourcesFile;
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  try {
    system = await startSystem({
      label: 'scale',
      stackFile,
      autoscale: false,
      functionEnv: { 'load-data': { INFLUX_URL: proxy.url }, 'load-predictions': { INFLUX_URL: proxy.url } },
      log: (line) => say(`    ${line}`),
    });
  } finally {
    if (previous === undefined) delete process.env.CDNFAAS_SOURCES;
    else process.env.CDNFAAS_SOURCES = previous;
  }
  try {
    const running = system;
    // A short warm-up, so group joins and JIT are not in the figure.
    await running.replay(generatedRecords(2_000, 31));
    await running.waitForStored(2_000, { timeoutMs: 120_000 });
    const cpu = startSystemCpuSampler(running, config);
    const phase = await throughputPhase(running, proxy, generatedRecords(records, 37), 2_000, () =>
      cpu.sample(),
    );
    return {
      replicas,
      partitions,
      result: {
        status: 'measured',
        records,
        sustainedRecordsPerSecond: phase.sustainedRate,
        endToEndRecordsPerSecond: phase.endToEndRate,
        cpu: cpu.finish(),
      },
    };
  } finally {
    await system.stop();
  }
}

/** Every combination in turn; one that fails is a missing point with its reason, the rest go on. */
export async function measureScaling(options: {
  replicas: number[];
  partitions: number[];
  records: number;
  say: (line: string) => void;
}): Promise<ScalingResult> {
  const runs: ScalingRun[] = [];
  for (const { replicas, partitions } of scalingPlan(options.replicas, options.partitions)) {
    options.say(
      `  ${replicas} replica(s) per function, ${partitions} partitions, ${options.records} records`,
    );
    try {
      const run = await measureOne(replicas, partitions, options.records, options.say);
      if (run.result.status === 'measured')
        options.say(
          `    ${Math.round(run.result.sustainedRecordsPerSecond).toLocaleString('en-US')} records/s sustained`,
        );
      runs.push(run);
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0]!;
      options.say(`    failed: ${reason}`);
      runs.push({ replicas, partitions, result: { status: 'missing', reason } });
    }
  }
  return { cores: cpus().length, recordsPerRun: options.records, runs };
}

/** A comma-separated list of counts from the environment, or the default. */
export function countsFrom(text: string | undefined, fallback: number[]): number[] {
  if (text === undefined || text.trim() === '') return fallback;
  const counts = text.split(',').map((part) => Number(part.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new CdnfaasError('INVALID_INPUT', `expected whole numbers separated by commas, not "${text}"`);
  return counts;
}
