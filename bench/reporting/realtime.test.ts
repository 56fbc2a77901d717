import { describe, expect, it } from 'vitest';
import { requestBodies } from '../scenarios/influx-write.ts';
import { countsFrom, fixedReplicaStack, scalingPlan, sourcesWithPartitions } from '../scenarios/scaling.ts';
import { renderRealTime, targetRows, verdict } from './markdown-realtime.ts';
import type { BenchReport } from './model.ts';
import { cpuFigures, pathSumMs, realTimeFigures, stackName, type StageBudget } from './realtime.ts';
import { capacityOf, saturation, scalingVerdict, type ScalingRun } from './scaling.ts';

const timing = (fn: string, fetchWaitMs: number) => ({
  function: `${fn}-bench-l2x9kab`,
  batches: 100,
  records: 10_000,
  fetchWaitMs,
  batchWaitMs: 10,
  queuedMs: 1,
  invokeMs: 20,
  publishWaitMs: 5,
  produceMs: 8,
  commitMs: 12,
  publishMs: 20,
  batchMs: 50,
});

const pipelineJson = {
  idle: { rate: 1, seconds: 10, produced: 10, measured: 10, p50: 70, p90: 90, p99: 99, max: 99 },
  latency: {
    rate: 1000,
    seconds: 40,
    produced: 40_000,
    measured: 40_000,
    p50: 120,
    p90: 180,
    p99: 260,
    max: 400,
  },
  throughput: { records: 100_000, sustainedRate: 25_000, endToEndRate: 20_000, seconds: 5 },
  cpu: {
    throughput: [
      { part: 'connector', cores: 0.8 },
      { part: 'kafka', cores: 0.4 },
      { part: 'benchmark (producer, write proxy)', cores: 0.2 },
      { part: 'machine (everything)', cores: 1.9 },
    ],
  },
  stages: {
    latency: ['provide', 'predict', 'load-data', 'load-predictions'].map((fn, i) => timing(fn, 4 + i)),
    throughput: [timing('provide', 1), { ...timing('predict', 2), batches: 0 }],
  },
};

describe('real-time figures from bench/out/pipeline.json', () => {
  it('reads idle, steady latency, throughput, CPU and the stage budget under stack names', () => {
    const figures = realTimeFigures(pipelineJson);
    expect(figures.idle).toEqual({ status: 'measured', measured: 10, p50: 70, max: 99 });
    expect(figures.steady).toMatchObject({ status: 'measured', p50: 120, p90: 180, p99: 260 });
    expect(figures.throughput).toMatchObject({ status: 'measured', sustainedRate: 25_000 });
    expect(figures.cpu).toMatchObject({ status: 'measured', records: 100_000, seconds: 5 });
    // 1.4 cores over 5 s for 100,000 records = 70 µs; without the benchmark 1.2 cores = 60 µs.
    if (figures.cpu.status !== 'measured') throw new Error('cpu');
    expect(figures.cpu.microsPerRecord).toBeCloseTo(70);
    expect(figures.cpu.systemMicrosPerRecord).toBeCloseTo(60);
    expect(figures.cpu.otherCores).toBeCloseTo(0.5);
    if (figures.budget.status !== 'measured') throw new Error('budget');
    expect(figures.budget.stages.map((s) => s.function)).toEqual([
      'provide',
      'predict',
      'load-data',
      'load-predictions',
    ]);
    // A function without cycles in a phase has no budget there.
    expect(figures.throughputStages).toMatchObject({ stages: [{ function: 'provide' }] });
  });

  it('calls a file without a phase missing, never zero', () => {
    const figures = realTimeFigures({ throughput: { records: 10 } });
    expect(figures.idle.status).toBe('missing');
    expect(figures.steady.status).toBe('missing');
    expect(figures.throughput.status).toBe('missing');
    expect(figures.cpu.status).toBe('missing');
    expect(figures.budget).toEqual({
      status: 'missing',
      reason: 'bench/out/pipeline.json has no connector stage timings of its steady phase',
    });
  });

  it('names deployed functions by their stack name', () => {
    expect(stackName('provide-bench-l2x9kab')).toBe('provide');
    expect(stackName('load-data-scale-abc12')).toBe('load-data');
    expect(stackName('load-predictions-burst-z9')).toBe('load-predictions');
  });

  it('sums the path once: downstream waits hold the upstream produce and commit', () => {
    const stage = (fn: string, fetchWaitMs: number): StageBudget => ({
      function: fn,
      cycles: 1,
      records: 1,
      fetchWaitMs,
      batchWaitMs: 10,
      queuedMs: 1,
      invokeMs: 20,
      publishWaitMs: 5,
      produceMs: 100,
      commitMs: 100,
    });
    // provide 4+10+1+20+5, predict 40+10+1+20+5, load-predictions 50+10+1+20 (no publish wait).
    expect(pathSumMs([stage('provide', 4), stage('predict', 40), stage('load-predictions', 50)])).toBe(
      40 + 76 + 81,
    );
    expect(pathSumMs([stage('provide', 4)])).toBeUndefined();
  });

  it('gives CPU per record with and without the benchmark process', () => {
    const cpu = cpuFigures([{ part: 'gateway', cores: 1 }], 1_000_000, 2);
    expect(cpu.microsPerRecord).toBe(2);
    expect(cpu.otherCores).toBe(0);
  });
});

describe('saturation and the scaling verdict', () => {
  it('gives a Node process one core, replicas one each, Kafka and InfluxDB every core', () => {
    expect(capacityOf('connector', 4, 2)).toBe(1);
    expect(capacityOf('provide replicas', 4, 2)).toBe(2);
    expect(capacityOf('provide replicas', 1, 2)).toBe(1);
    expect(capacityOf('kafka', 1, 2)).toBe(2);
    const picked = saturation(
      [
        { part: 'kafka', cores: 1.2 },
        { part: 'connector', cores: 0.9 },
        { part: 'machine (everything)', cores: 2 },
      ],
      1,
      2,
    );
    expect(picked.map((s) => s.part)).toEqual(['connector', 'kafka']);
    expect(picked[0]!.use).toBeCloseTo(0.9);
  });

  const run = (partitions: number, replicas: number, rate: number, connector = 0.95): ScalingRun => ({
    partitions,
    replicas,
    result: {
      status: 'measured',
      records: 40_000,
      sustainedRecordsPerSecond: rate,
      endToEndRecordsPerSecond: rate * 0.8,
      cpu: [
        { part: 'connector', cores: connector },
        { part: 'kafka', cores: 0.5 },
        { part: 'machine (everything)', cores: 1.96 },
      ],
    },
  });

  it('says where adding replicas stops paying and which process saturates there', () => {
    const text = scalingVerdict([run(6, 1, 3_000), run(6, 2, 4_000), run(6, 4, 4_200), run(12, 1, 3_100)], 2);
    expect(text).toContain('With 6 partitions it stops scaling at 2 replicas per function: 4 give +5 %');
    expect(text).toContain('Partitions: 1 replica: 6 partitions 3,000/s, 12 partitions 3,100/s.');
    expect(text).toContain(
      'What saturates (6 partitions, 2 replicas): connector, at 0.95 of the 1 core it can use (95 %)',
    );
    expect(text).toContain(
      "the machine's 2 cores were 98 % busy, 1.45 cores of it this run's processes, so every added replica competes",
    );
  });

  it('says it still scales when every step gains, and nothing when nothing was measured', () => {
    expect(scalingVerdict([run(6, 1, 1_000), run(6, 2, 2_000)], 2)).toContain(
      'With 6 partitions it still scales up to 2 replicas',
    );
    expect(
      scalingVerdict([{ partitions: 6, replicas: 1, result: { status: 'missing', reason: 'x' } }], 2),
    ).toBe('No run of the curve was measured, so there is no verdict.');
  });
});

describe('scaling and InfluxDB write set-up', () => {
  it('pins every function to the replicas, sets partitions on all but the dead-letter topics', () => {
    const stack = {
      version: 1,
      functions: {
        provide: { handler: './functions/provide', labels: { 'com.openfaas.scale.min': '1', other: 'x' } },
        predict: { handler: './functions/predict' },
      },
    };
    const pinned = fixedReplicaStack(stack, 4, '/nowhere');
    expect(pinned.functions.provide!.labels).toEqual({
      'com.openfaas.scale.min': '4',
      'com.openfaas.scale.max': '4',
      other: 'x',
    });
    expect(pinned.functions.predict!.labels!['com.openfaas.scale.max']).toBe('4');
    const sources = sourcesWithPartitions(
      {
        kafka: { brokers: ['b:1'], topics: { cdn_raw: { partitions: 6 }, 'cdn_raw.dlq': { partitions: 1 } } },
      },
      12,
    );
    expect(sources.kafka.topics).toEqual({ cdn_raw: { partitions: 12 }, 'cdn_raw.dlq': { partitions: 1 } });
    expect(sources.kafka.brokers).toEqual(['b:1']);
    expect(scalingPlan([1, 2], [6, 12])).toEqual([
      { replicas: 1, partitions: 6 },
      { replicas: 2, partitions: 6 },
      { replicas: 1, partitions: 12 },
      { replicas: 2, partitions: 12 },
    ]);
  });

  it('reads replica and partition counts from the environment', () => {
    expect(countsFrom(undefined, [1, 2, 4])).toEqual([1, 2, 4]);
    expect(countsFrom('6, 12', [6])).toEqual([6, 12]);
    expect(() => countsFrom('6,x', [6])).toThrow('expected whole numbers separated by commas, not "6,x"');
  });

  it('builds request bodies of a cycle size by cycling the lines', () => {
    expect(requestBodies(['a', 'b', 'c'], 2, 2)).toEqual(['a\nb', 'c\na']);
  });
});

describe('REPORT.md real-time sections', () => {
  const measured = realTimeFigures(pipelineJson);
  const report = {
    realTime: measured,
    influxWrite: {
      'load-data': { status: 'measured', linesPerRequest: 100, requests: 50, p50Ms: 3.25, p99Ms: 9 },
      'load-predictions': { status: 'missing', reason: 'InfluxDB refused a write' },
    },
    replayBurst: {
      status: 'measured',
      file: '/x/test_cdn.csv',
      rows: 22_109,
      replaySeconds: 1.5,
      storedAfterReplaySeconds: 2.5,
      perMeasurement: { cdn_client_data: 2.1, predictions: 2.5 },
      warmupRecords: 3_000,
    },
    anchors: {
      javaEos: {
        status: 'measured',
        records: 200_000,
        seconds: 4,
        recordsPerSecond: 50_000,
        transactions: 400,
        commitLatencyMs: { p50: 8, p99: 30 },
        recordsPerTransaction: 500,
        partitions: 6,
        recordBytes: 200,
      },
      echoKafkajs: {
        status: 'measured',
        recordsPerSecond: 20_000,
        commitLatencyMs: { p50: 12, p99: 40 },
        transactions: 300,
        cpuMicrosPerRecord: 35,
      },
      echoLibrdkafka: { status: 'missing', reason: '@confluentinc/kafka-javascript is not installed' },
    },
    scaling: { status: 'missing', reason: 'quick run' },
    stages: {},
    connector: { status: 'missing', reason: 'x' },
  } as unknown as BenchReport;

  it('puts every figure beside its target with MET / NOT MET', () => {
    expect(verdict(99, 100, 'at most')).toBe('MET');
    expect(verdict(101, 100, 'at most')).toBe('NOT MET');
    expect(verdict(Number.NaN, 100, 'at most')).toBe('n/a');
    expect(targetRows(report).map((row) => [row[0], row[3]])).toEqual([
      ['one record on an idle system, due -> prediction stored', 'MET'],
      ['steady 1,000 records/s: p50', 'NOT MET'],
      ['steady 1,000 records/s: p99', 'NOT MET'],
      ['throughput, sustained end to end', 'MET'],
      ['replay burst of test_cdn.csv, stored after the replay returns', 'NOT MET'],
      ['CPU per record, all processes', 'MET'],
    ]);
  });

  it('renders the budget, the CPU breakdown, the anchors and a missing curve', () => {
    const text = renderRealTime(report).join('\n').replace(/ +/g, ' ');
    expect(text).toContain(
      '| visibility to read_committed consumers (ms per record) | n/a | 5.0 | 6.0 | 7.0 |',
    );
    expect(text).toContain('| fetch wait (ms per record) | 4.0 | see visibility |');
    expect(text).toContain(
      '| InfluxDB write, inside invoke (ms per request) | - | - | 3.3 (p99 9.0), 100 lines | missing: InfluxDB refused a write |',
    );
    // provide 4+10+1+20+5 + predict 5+10+1+20+5 + load-predictions 7+10+1+20 = 119.
    expect(text).toContain('Sum of the means: **119 ms**, beside the measured p50 of 120 ms');
    // No line may start like a Markdown list item, or the formatter turns the paragraph into one.
    expect(renderRealTime(report).filter((line) => /^\s*[-+*] /.test(line))).toEqual([]);
    for (const fragment of [
      '| connector | 0.80 | 40 |',
      'All processes: **70 µs per record** against the target of 80 µs: **MET**.',
      '| Java kafka-clients, transactional consume-transform-produce | 50,000 | 8.0 / 30.0 |',
      '| echo stage, librdkafka | missing: @confluentinc/kafka-javascript is not installed',
      "| the pipeline's provide (throughput phase) | 2,000 | 12.0 (mean) |",
      'replay returned after 1.50 s; both measurements held every row 2.50 s later',
      '## Scaling curve\n\nmissing: quick run',
    ])
      expect(text).toContain(fragment);
  });
});
