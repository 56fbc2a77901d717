import { describe, expect, it } from 'vitest';
import { kcatVersion, prettyName, versionLine } from '../limits/machine.ts';
import { bodiesOf } from '../limits/influx.ts';
import { singleFunctionStack } from '../scenarios/stages.ts';
import { percentile } from '../scenarios/rollback.ts';
import { coldStartFigures, connectorFigures, gatewayFigures, pipelineFigures } from './from-benchmarks.ts';
import { renderReport } from './markdown.ts';
import { limitValues, pipelineRatios, stageRatios, type BenchReport } from './model.ts';
import { projectRoot } from '../../system/config.ts';

const limits: BenchReport['limits'] = {
  kafka: {
    status: 'measured',
    records: 300_000,
    recordBytes: 190,
    partitions: 6,
    produceRecordsPerSecond: 200_000,
    consumeRecordsPerSecond: 400_000,
    passThroughRecordsPerSecond: 100_000,
  },
  influxdb: {
    status: 'measured',
    points: 100_000,
    linesPerRequest: 5_000,
    sequentialPointsPerSecond: 50_000,
    parallelPointsPerSecond: 80_000,
    parallel: 4,
  },
  influxdbPredictions: {
    status: 'measured',
    points: 100_000,
    linesPerRequest: 5_000,
    sequentialPointsPerSecond: 100_000,
    parallelPointsPerSecond: 120_000,
    parallel: 4,
  },
  onnxruntime: { status: 'missing', reason: 'no model' },
};

describe('ratios', () => {
  it('puts each stage beside what bounds it, and skips a missing limit', () => {
    const values = limitValues(limits);
    expect(values).toEqual({
      kafkaPassThrough: 100_000,
      influxSequential: 50_000,
      influxParallel: 80_000,
      influxPredictionsSequential: 100_000,
      influxPredictionsParallel: 120_000,
      onnxRaw: undefined,
    });
    const stage = (fn: string) => ({
      function: fn,
      records: 1,
      replicas: 1,
      recordsPerSecond: 5_000,
      recordsPerSecondPerReplica: 5_000,
    });
    expect(stageRatios(stage('provide'), values)).toEqual([
      { limit: 'Kafka pass-through (kcat)', limitValue: 100_000, ratio: 0.05 },
    ]);
    expect(stageRatios(stage('predict'), values).map((r) => r.limit)).toEqual(['Kafka pass-through (kcat)']);
    expect(stageRatios(stage('load-data'), values)).toEqual([
      {
        limit: 'InfluxDB writes of cdn_client_data points, one request in flight',
        limitValue: 50_000,
        ratio: 0.1,
      },
    ]);
    expect(stageRatios(stage('load-predictions'), values)).toEqual([
      {
        limit: 'InfluxDB writes of predictions points, one request in flight',
        limitValue: 100_000,
        ratio: 0.05,
      },
    ]);
  });

  it('divides the limits by what one pipeline record costs: four topic hops, one point of each kind', () => {
    expect(
      pipelineRatios(2_000, {
        kafkaPassThrough: 100_000,
        influxParallel: 80_000,
        influxPredictionsParallel: 80_000,
        onnxRaw: 400_000,
      }),
    ).toEqual([
      { limit: 'Kafka pass-through / 4 topic hops', limitValue: 25_000, ratio: 0.08 },
      { limit: 'InfluxDB writes (parallel) of one point of each kind', limitValue: 40_000, ratio: 0.05 },
      { limit: 'onnxruntime raw rows/s', limitValue: 400_000, ratio: 0.005 },
    ]);
  });
});

/**
 * One phase of the gateway benchmark's JSON: requests/s direct, through the gateway and through a
 * minimal proxy, and the gateway's p50 and p99 overhead in ms.
 */
function gatewayPhase(
  connections: number,
  [direct, gateway, minimalProxy]: [number, number, number],
  [overheadP50Ms, overheadP99Ms]: [number, number],
) {
  return {
    connections,
    direct: { requestsPerSecond: direct },
    gateway: { requestsPerSecond: gateway },
    minimalProxy: { requestsPerSecond: minimalProxy },
    overheadP50Ms,
    overheadP99Ms,
  };
}

describe('figures from the other benchmarks', () => {
  it('takes the gateway phase with the most connections, and cold starts', () => {
    const json = {
      phases: [
        gatewayPhase(1, [2_000, 800, 900], [0.5, 3]),
        gatewayPhase(32, [10_000, 3_000, 4_000], [4, 40]),
      ],
      coldStartMs: { trivial: [100, 200], model: [300], trivialMedian: 150, modelMedian: 300 },
    };
    expect(gatewayFigures(json)).toMatchObject({
      status: 'measured',
      connections: 32,
      gatewayRequestsPerSecond: 3_000,
      ratios: [{ ratio: 0.3 }, { ratio: 0.75 }],
    });
    expect(coldStartFigures(json)).toEqual({
      status: 'measured',
      trivialMedianMs: 150,
      modelMedianMs: 300,
      trivialRunsMs: [100, 200],
      modelRunsMs: [300],
    });
    expect(gatewayFigures({})).toEqual({ status: 'missing', reason: 'bench/out/gateway.json has no phases' });
  });

  it('reads the connector and the pipeline, and calls a file without figures missing', () => {
    const values = limitValues(limits);
    const connector = connectorFigures(
      {
        connectorExactlyOnce: 10_000,
        loopExactlyOnce: 20_000,
        connectorAtLeastOnce: 12_000,
        loopAtLeastOnce: 24_000,
        steadyRate: 5_000,
        latency: { p50: 500, p99: 900, max: 1_000 },
      },
      values,
    );
    expect(connector).toMatchObject({
      status: 'measured',
      exactlyOnceRecordsPerSecond: 10_000,
      latencyMs: { p50: 500, rate: 5_000 },
    });
    expect(connector.status === 'measured' && connector.ratios.map((r) => r.ratio)).toEqual([0.1, 0.5, 0.5]);
    expect(connectorFigures({ at: 'x' }, values).status).toBe('missing');
    expect(
      pipelineFigures(
        {
          throughput: { records: 60_000, endToEndRate: 2_500, sustainedRate: 6_000 },
          latency: { rate: 1_000, p50: 5_000, p99: 6_600 },
        },
        values,
      ),
    ).toMatchObject({
      status: 'measured',
      endToEndRecordsPerSecond: 2_500,
      latencyMs: { p50: 5_000 },
    });
    expect(pipelineFigures({}, values)).toEqual({
      status: 'missing',
      reason: 'bench/out/pipeline.json has no throughput phase',
    });
  });
});

describe('REPORT.md', () => {
  it('shows each figure beside its limit, and a missing part with its reason', () => {
    const report: BenchReport = {
      at: '2026-11-26T12:00:00.000Z',
      seconds: 600,
      machine: {
        cpuModel: 'Xeon',
        cores: 2,
        memoryGiB: 24,
        os: 'Debian 12',
        node: 'v20',
        java: 'openjdk 17',
        kafka: '4.1.1',
        influxdb: '1.8.10',
        kcat: '1.7.1',
        onnxruntime: '1.30.0',
        loadAverage: { start: 1, end: 2 },
      },
      limits,
      gateway: { status: 'missing', reason: 'bench/gateway.ts exited with 1' },
      coldStart: {
        status: 'measured',
        trivialMedianMs: 150,
        modelMedianMs: 300,
        trivialRunsMs: [150],
        modelRunsMs: [300],
      },
      connector: { status: 'missing', reason: 'not landed' },
      stages: {
        provide: {
          status: 'measured',
          function: 'provide',
          records: 1,
          replicas: 1,
          recordsPerSecond: 5_000,
          recordsPerSecondPerReplica: 5_000,
          ratios: [{ limit: 'Kafka pass-through (kcat)', limitValue: 100_000, ratio: 0.05 }],
        },
      },
      pipeline: { status: 'missing', reason: 'timed out' },
      autoscaler: {
        status: 'measured',
        function: 'provide',
        lagTarget: 5_000,
        burst: 40_000,
        scaleDecisionSeconds: 2.7,
        newReplicaServingSeconds: 3.6,
        maxReplicas: 2,
        peakLag: 40_000,
      },
      httpAutoscaling: {
        status: 'measured',
        min: 1,
        max: 4,
        factor: 50,
        ratePerSecond: 40,
        timeToMaxMs: 16_800,
        timeBackToMinMs: 5_900,
        steps: [
          { atMs: 0, replicas: 1 },
          { atMs: 6_000, replicas: 3 },
          { atMs: 16_800, replicas: 4 },
          { atMs: 40_000, replicas: 1 },
        ],
        requests: 1_400,
        failed: 0,
      },
      rollback: {
        status: 'measured',
        rate: 200,
        seconds: 15,
        requests: 3_000,
        failed: 0,
        before: { p50: 6, p99: 200 },
        during: { p50: 150, p99: 600, max: 700 },
        deployAnsweredSeconds: 0.02,
      },
      realTime: {
        idle: { status: 'missing', reason: 'timed out' },
        steady: { status: 'missing', reason: 'timed out' },
        throughput: { status: 'missing', reason: 'timed out' },
        cpu: { status: 'missing', reason: 'timed out' },
        budget: { status: 'missing', reason: 'timed out' },
        throughputStages: { status: 'missing', reason: 'timed out' },
      },
      influxWrite: {},
      replayBurst: { status: 'missing', reason: '/x/test_cdn.csv does not exist' },
      anchors: {
        javaEos: { status: 'missing', reason: 'mvn not installed' },
        echoKafkajs: { status: 'missing', reason: 'bench/anchors/echo.ts does not exist (not landed)' },
        echoLibrdkafka: { status: 'missing', reason: 'bench/anchors/echo.ts does not exist (not landed)' },
      },
      scaling: { status: 'missing', reason: 'no system' },
    };
    // Columns are padded for reading; compare with single spaces.
    const text = renderReport(report).replace(/ +/g, ' ');
    for (const fragment of [
      '| Kafka pass-through | 100,000 records/s',
      '| stage provide, one replica | 5,000 records/s | 5.0 % of Kafka pass-through (kcat) (100,000)',
      'missing: bench/gateway.ts exited with 1',
      '| onnxruntime | missing: no model',
      '2.7 s to the scale decision, 3.6 s to a new replica serving',
      '0 failed of 3,000 calls; p99 200 ms before, 600 ms during (max 700 ms)',
      '16.8 s to 4 replicas under load, 5.9 s back to 1 after it; 0 failed of 1,400 calls',
      'replicas 1 -> 3 -> 4 -> 1',
      // Every section of the real-time issue is there, a missing part with its reason.
      '| steady 1,000 records/s: p99 | <= 250 ms | missing: timed out | n/a |',
      'missing: /x/test_cdn.csv does not exist',
      '| Java kafka-clients, transactional loop | missing: mvn not installed',
    ])
      expect(text).toContain(fragment);
    for (const heading of [
      '## Real-time targets',
      '## Latency: record due -> prediction stored',
      '## Throughput',
      '## CPU per record',
      '## Latency budget per stage',
      '## Anchors: one exactly-once hop',
      '## Scaling curve',
    ])
      expect(text).toContain(heading);
  });
});

describe('helpers', () => {
  it('reads versions and the OS name', () => {
    expect(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe(
      'Debian GNU/Linux 12 (bookworm)',
    );
    expect(versionLine('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime', /version "/)).toBe(
      'openjdk version "17.0.15" 2025-04-15',
    );
    expect(
      kcatVersion(
        'kcat - Apache Kafka\nVersion 1.7.1 (JSON, Transactions, librdkafka 2.0.2 builtin.features=gzip)',
      ),
    ).toBe('1.7.1 (librdkafka 2.0.2)');
    expect(kcatVersion('sh: kcat: not found')).toBe('unavailable');
  });

  it('splits lines into request bodies, takes percentiles, and pins a one-function stack to one replica', () => {
    expect(bodiesOf(['a', 'b', 'c'], 2)).toEqual(['a\nb', 'c']);
    expect(percentile([1, 2, 3, 4], 50)).toBe(3);
    expect(percentile([], 50)).toBeNaN();
    const stack = {
      version: 1,
      functions: {
        provide: { handler: './functions/provide', labels: { 'com.openfaas.scale.max': '4' } },
        predict: { handler: './functions/predict' },
      },
    };
    expect(singleFunctionStack(stack, 'provide', `${projectRoot}/bench/out/stacks`)).toEqual({
      version: 1,
      functions: {
        provide: {
          handler: '../../../functions/provide',
          labels: { 'com.openfaas.scale.max': '1', 'com.openfaas.scale.min': '1' },
        },
      },
    });
  });
});
