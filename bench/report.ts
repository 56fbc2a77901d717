/**
 * `npm run bench`: every benchmark in one run, written to bench/REPORT.md and bench/REPORT.json.
 *
 * 1. The machine: CPU, cores, memory, OS, Node, Java, Kafka, InfluxDB, kcat, onnxruntime.
 * 2. Its limits: Kafka pass-through with kcat, InfluxDB line-protocol writes in large batches,
 *    onnxruntime rows/s with the predict model.
 * 3. Anchors in the same run: one exactly-once hop with Java kafka-clients (transactional
 *    consume-transform-produce), the echo stage with kafkajs and with librdkafka.
 * 4. The parts beside those limits: the gateway, the connector and the whole pipeline (their own
 *    benchmarks, run as they are with shorter settings, read from bench/out/*.json; the pipeline's
 *    gives the idle and steady latency, throughput, CPU per process and the per-stage budget),
 *    one InfluxDB write of a loader cycle's size, each stage alone at one replica, the replay
 *    burst of test_cdn.csv, the scaling curve (replicas x partitions), cold start, the
 *    autoscaler's reaction, a rollback under load.
 *
 * A part that fails is reported as missing with its reason; no figure is ever made up. The
 * whole run is bounded (about 20 minutes here). BENCH_QUICK=1 runs everything smaller.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { join } from 'node:path';
import { servicesUp } from '../deploy/local/index.ts';
import { createKafka } from '../lib/kafka.ts';
import { kafkaConnection } from '../system/kafka-connection.ts';
import { loadConfig, projectRoot } from '../system/config.ts';
import { readInfluxAdminToken } from '../system/influx-credentials.ts';
import { measureInfluxLimit } from './limits/influx.ts';
import { measureKafkaLimit } from './limits/kafka.ts';
import { describeMachine, endLoadAverage } from './limits/machine.ts';
import { measureOnnxLimit } from './limits/onnx.ts';
import { modelForBench } from './limits/model.ts';
import { runChildBenchmark } from './reporting/children.ts';
import {
  coldStartFigures,
  connectorFigures,
  gatewayFigures,
  pipelineFigures,
} from './reporting/from-benchmarks.ts';
import { measureAnchors } from './anchors/anchors.ts';
import { renderReport } from './reporting/markdown.ts';
import { startBenchRun } from './reporting/run.ts';
import { limitValues, stageRatios, type BenchReport } from './reporting/model.ts';
import type { Json, Measured } from './reporting/measured.ts';
import { realTimeFigures, type RealTimeFigures } from './reporting/realtime.ts';
import { measureAutoscaler } from './scenarios/autoscaler.ts';
import { measureInfluxWrite } from './scenarios/influx-write.ts';
import { measureReplayBurst } from './scenarios/replay-burst.ts';
import { measureScaling } from './scenarios/scaling.ts';
import { measureHttpAutoscalingRun } from './scenarios/http-autoscaling-run.ts';
import { measureRollback } from './scenarios/rollback.ts';
import { measureStage } from './scenarios/stages.ts';
import { clientDataOf, predictionsOf, rawValues } from './scenarios/workload.ts';
import { clientDataPoint } from '../functions/load-data/client-data-point.ts';
import { toLine } from '../functions/shared/point.ts';
import { predictionPoint } from '../functions/load-predictions/prediction-point.ts';

const run = startBenchRun(process.env.BENCH_QUICK === '1');
const { quick, scale, say, part } = run;

const config = loadConfig();
say(`cdnfaas bench${quick ? ' (quick)' : ''}: services`);
await servicesUp(config, { onProgress: (event) => say(`  ${event.service}: ${event.message}`) });
const machine = await describeMachine(config.influxdb.url);
say(
  `  ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load average ${machine.loadAverage.start}`,
);
const kafka = createKafka(kafkaConnection(config), { clientId: 'cdnfaas-bench-report' });
const admin = kafka.admin();
await admin.connect();

say('generating records');
const raw = rawValues(scale(100_000, 20_000), 5);
const data = clientDataOf(raw);

const kafkaLimit = await part('limit: Kafka pass-through (kcat)', () =>
  measureKafkaLimit({
    brokers: config.kafka.brokers,
    admin,
    records: scale(300_000, 50_000),
    partitions: 6,
    sample: (n) => raw[n % raw.length]!,
    say,
  }),
);
// The loaders' own line protocol, for the limits and for the budget's InfluxDB write.
const clientDataLines = data.map((record) => toLine(clientDataPoint(record)));
const predictionLines = predictionsOf(data, new Date()).map((prediction, offset) =>
  toLine(predictionPoint(prediction, { topic: 'cdn_result', partition: offset % 6, offset: String(offset) })),
);
/** InfluxDB's write limit for one measurement's points, in the loaders' request size. */
const influxLimitOf = (points: string, lines: string[]) =>
  part(`limit: InfluxDB line-protocol writes (${points} points)`, () =>
    measureInfluxLimit({
      url: config.influxdb.url,
      token: readInfluxAdminToken(config),
      lines: () => lines,
      linesPerRequest: 5_000,
      parallel: 4,
      say,
    }),
  );
const influxLimit = await influxLimitOf('cdn_client_data', clientDataLines);
const influxPredictionsLimit = await influxLimitOf('predictions', predictionLines);
const onnxLimit = await part('limit: onnxruntime rows/s', async () =>
  measureOnnxLimit({
    modelDir: await modelForBench(say),
    records: data.slice(0, 20_000),
    batch: 1_000,
    seconds: scale(5, 2),
  }),
);
const limits = {
  kafka: kafkaLimit,
  influxdb: influxLimit,
  influxdbPredictions: influxPredictionsLimit,
  onnxruntime: onnxLimit,
};
const values = limitValues(limits);
await admin.disconnect();

const anchors = await measureAnchors(run, { brokers: config.kafka.brokers, cacheDir: config.cacheDir });

/** A benchmark of its own (`tsx bench/<name>.ts`) run as it is, with shorter settings; its JSON read back. */
const childBenchmark = (title: string, name: string, timeoutMs: number, env: Record<string, string>) =>
  part(title, async () => ({
    json: await runChildBenchmark({ name, script: `bench/${name}.ts`, env, timeoutMs }, say),
  }));
const gatewayJson = await childBenchmark('gateway (npm run bench:gateway, shorter)', 'gateway', 300_000, {
  BENCH_DURATION_MS: String(scale(3_000, 1_500)),
  BENCH_REPEATS: String(scale(2, 1)),
  BENCH_COLD_RUNS: String(scale(5, 2)),
});
const connectorJson = await childBenchmark(
  'connector (npm run bench:connector, shorter)',
  'connector',
  360_000,
  {
    BENCH_RECORDS: String(scale(100_000, 20_000)),
    BENCH_SECONDS: String(scale(15, 5)),
  },
);
// Throughput over 200,000 records, as the real-time targets are stated; the latency phase at its 1,000/s.
const pipelineJson = await childBenchmark('whole pipeline (npm run bench:pipeline)', 'pipeline', 600_000, {
  BENCH_SECONDS: String(scale(30, 8)),
  BENCH_RECORDS: String(scale(200_000, 15_000)),
  BENCH_WARMUP_SECONDS: '3',
});

const realTime: RealTimeFigures =
  pipelineJson.status === 'measured'
    ? realTimeFigures(pipelineJson.json)
    : {
        idle: pipelineJson,
        steady: pipelineJson,
        throughput: pipelineJson,
        cpu: pipelineJson,
        budget: pipelineJson,
        throughputStages: pipelineJson,
      };
// The budget's InfluxDB row: one write of the size the loaders wrote per cycle in the steady phase.
const influxWrite: BenchReport['influxWrite'] = {};
for (const [name, lines] of [
  ['load-data', clientDataLines],
  ['load-predictions', predictionLines],
] as const) {
  const stage =
    realTime.budget.status === 'measured'
      ? realTime.budget.stages.find((s) => s.function === name)
      : undefined;
  influxWrite[name] =
    stage === undefined
      ? {
          status: 'missing',
          reason: `no steady-phase cycles of ${name} in bench/out/pipeline.json to size the write`,
        }
      : await part(`InfluxDB write of one ${name} cycle`, () =>
          measureInfluxWrite({
            url: config.influxdb.url,
            token: readInfluxAdminToken(config),
            lines,
            linesPerRequest: stage.records / stage.cycles,
            requests: scale(200, 50),
          }),
        );
}

const stages: BenchReport['stages'] = {};
for (const name of ['provide', 'predict', 'load-data', 'load-predictions']) {
  stages[name] = await part(`stage ${name}, one replica`, async () => {
    const stage = await measureStage(name, scale(30_000, 8_000), say);
    return { ...stage, ratios: stageRatios(stage, values) };
  });
}
const replayBurst = await part('replay burst: test_cdn.csv through the replay', () =>
  measureReplayBurst({ say }),
);
const scaling = await part('scaling curve: replicas per function x partitions', () =>
  measureScaling({
    replicas: quick ? [1, 2] : [1, 2, 4],
    partitions: quick ? [6] : [6, 12],
    records: scale(40_000, 15_000),
    say,
  }),
);
const autoscaler = await part('autoscaler reaction', () => measureAutoscaler(scale(40_000, 20_000), say));
const httpAutoscaling = await part(
  'HTTP autoscaling (APIHighInvocationRate, the gateway evaluating it)',
  () => measureHttpAutoscalingRun(say),
);
const rollback = await part('rollback under load', () =>
  measureRollback({ rate: 100, seconds: scale(20, 8), rollbackAtSeconds: scale(8, 3), say }),
);

const fromJson = <T extends object>(
  source: Measured<{ json: Json }>,
  read: (json: Json) => Measured<T>,
): Measured<T> => (source.status === 'measured' ? read(source.json) : source);
const report: BenchReport = {
  at: new Date().toISOString(),
  seconds: run.seconds(),
  machine: endLoadAverage(machine),
  limits,
  gateway: fromJson(gatewayJson, gatewayFigures),
  coldStart: fromJson(gatewayJson, coldStartFigures),
  connector: fromJson(connectorJson, (json) => connectorFigures(json, values)),
  stages,
  pipeline: fromJson(pipelineJson, (json) => pipelineFigures(json, values)),
  autoscaler,
  httpAutoscaling,
  rollback,
  realTime,
  influxWrite,
  replayBurst,
  anchors,
  scaling,
};
const outDir = join(projectRoot, 'bench');
mkdirSync(outDir, { recursive: true });
// Written as the project's formatter would write them, so `npm run lint` passes on the committed report.
const formatOptions = (await prettier.resolveConfig(join(outDir, 'REPORT.md'))) ?? {};
const markdown = await prettier.format(renderReport(report), { ...formatOptions, parser: 'markdown' });
writeFileSync(
  join(outDir, 'REPORT.json'),
  await prettier.format(JSON.stringify(report), { ...formatOptions, parser: 'json' }),
);
writeFileSync(join(outDir, 'REPORT.md'), markdown);
process.stdout.write(`\n${markdown}\n`);
say(`[${Math.round(run.seconds())} s] wrote bench/REPORT.md and bench/REPORT.json`);
