// The sections of bench/REPORT.md the real-time issue asks for: each figure beside its target with
// MET / NOT MET, the CPU per process, the latency budget per stage, the anchors and the scaling
// curve. Pure: the report in, Markdown lines out.
import { markdownTable } from '../../chaos/tables.ts';
import type { Measured } from './measured.ts';
import type { BenchReport, EchoAnchorFigures } from './model.ts';
import { pathSumMs, predictionPath, targets, type StageBudget } from './realtime.ts';
import { saturation, scalingVerdict } from './scaling.ts';

const finite = (n: number | undefined | null): n is number => typeof n === 'number' && Number.isFinite(n);
const int = (n: number | undefined) => (finite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number | undefined) => (finite(n) ? (n < 100 ? n.toFixed(1) : int(n)) : 'n/a');
const why = (part: Measured<object>) => (part.status === 'missing' ? `missing: ${part.reason}` : '');

/** MET when the figure is on the right side of its target; a missing figure is never MET. */
export function verdict(value: number | undefined, target: number, kind: 'at most' | 'at least'): string {
  if (!finite(value)) return 'n/a';
  return (kind === 'at most' ? value <= target : value >= target) ? 'MET' : 'NOT MET';
}

/** The headline table: every target of the issue, its figure and the verdict. */
export function targetRows(report: BenchReport): string[][] {
  const { idle, steady, throughput, cpu } = report.realTime;
  const burst = report.replayBurst;
  const row = (
    what: string,
    target: string,
    part: Measured<object>,
    figure: () => [string, string],
  ): string[] =>
    part.status === 'measured' ? [what, target, ...figure()] : [what, target, why(part), 'n/a'];
  return [
    row('one record on an idle system, due -> prediction stored', `<= ${targets.idleMs} ms`, idle, () => {
      const p = idle as { p50: number };
      return [`${ms(p.p50)} ms (median)`, verdict(p.p50, targets.idleMs, 'at most')];
    }),
    row('steady 1,000 records/s: p50', `<= ${targets.p50Ms} ms`, steady, () => {
      const p = steady as { p50: number };
      return [`${ms(p.p50)} ms`, verdict(p.p50, targets.p50Ms, 'at most')];
    }),
    row('steady 1,000 records/s: p99', `<= ${targets.p99Ms} ms`, steady, () => {
      const p = steady as { p99: number };
      return [`${ms(p.p99)} ms`, verdict(p.p99, targets.p99Ms, 'at most')];
    }),
    row(
      'throughput, sustained end to end',
      `>= ${int(targets.sustainedRecordsPerSecond)} records/s`,
      throughput,
      () => {
        const t = throughput as { sustainedRate: number; records: number };
        return [
          `${int(t.sustainedRate)} records/s over ${int(t.records)} records`,
          verdict(t.sustainedRate, targets.sustainedRecordsPerSecond, 'at least'),
        ];
      },
    ),
    row(
      'replay burst of test_cdn.csv, stored after the replay returns',
      `<= ${targets.replayBurstSeconds} s`,
      burst,
      () => {
        const b = burst as { storedAfterReplaySeconds: number; rows: number };
        return [
          `${b.storedAfterReplaySeconds.toFixed(2)} s (${int(b.rows)} rows)`,
          verdict(b.storedAfterReplaySeconds, targets.replayBurstSeconds, 'at most'),
        ];
      },
    ),
    row('CPU per record, all processes', `<= ${targets.cpuMicrosPerRecord} µs`, cpu, () => {
      const c = cpu as { microsPerRecord: number };
      return [
        `${int(c.microsPerRecord)} µs`,
        verdict(c.microsPerRecord, targets.cpuMicrosPerRecord, 'at most'),
      ];
    }),
  ];
}

function latencySection(report: BenchReport): string[] {
  const { idle, steady } = report.realTime;
  const rows: string[][] = [];
  rows.push(
    idle.status === 'measured'
      ? [
          `idle: ${int(idle.measured)} single records, one a second`,
          ms(idle.p50),
          'n/a',
          'n/a',
          ms(idle.max),
          `p50 <= ${targets.idleMs} ms: ${verdict(idle.p50, targets.idleMs, 'at most')}`,
        ]
      : ['idle single records', why(idle), '', '', '', ''],
  );
  rows.push(
    steady.status === 'measured'
      ? [
          `steady ${int(steady.rate)} records/s for ${int(steady.seconds)} s (${int(steady.measured)} records)`,
          ms(steady.p50),
          ms(steady.p90),
          ms(steady.p99),
          ms(steady.max),
          `p50 <= ${targets.p50Ms} ms: ${verdict(steady.p50, targets.p50Ms, 'at most')}; p99 <= ${targets.p99Ms} ms: ${verdict(steady.p99, targets.p99Ms, 'at most')}`,
        ]
      : ['steady 1,000 records/s', why(steady), '', '', '', ''],
  );
  return [
    '## Latency: record due -> prediction stored',
    '',
    'From the moment a raw record was due to be produced to cdn_raw to the moment InfluxDB acknowledged the',
    "write holding its prediction (bench:pipeline's write proxy in front of InfluxDB; the loaders answer only",
    'after InfluxDB did). The idle records go one at a time into a system with nothing else to do.',
    '',
    markdownTable(
      ['phase', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'against the targets'],
      rows,
      [1, 2, 3, 4],
    ),
    '',
  ];
}

function throughputSection(report: BenchReport): string[] {
  const { throughput } = report.realTime;
  const burst = report.replayBurst;
  const rows: string[][] = [];
  rows.push(
    throughput.status === 'measured'
      ? [
          `${int(throughput.records)} generated records replayed as fast as possible`,
          `${int(throughput.sustainedRate)} records/s sustained (slower measurement 10 % -> 90 % stored); ${int(throughput.endToEndRate)} records/s replay start -> last stored (${throughput.seconds.toFixed(1)} s)`,
          `>= ${int(targets.sustainedRecordsPerSecond)} records/s: ${verdict(throughput.sustainedRate, targets.sustainedRecordsPerSecond, 'at least')}`,
        ]
      : ['replay as fast as possible', why(throughput), ''],
  );
  rows.push(
    burst.status === 'measured'
      ? [
          `burst: the ${int(burst.rows)} rows of test_cdn.csv through the replay of \`npx cdnfaas replay\``,
          `replay returned after ${burst.replaySeconds.toFixed(2)} s; both measurements held every row ${burst.storedAfterReplaySeconds.toFixed(2)} s later (${Object.entries(
            burst.perMeasurement,
          )
            .map(([m, seconds]) => `${m} ${seconds.toFixed(2)} s`)
            .join(', ')})`,
          `<= ${targets.replayBurstSeconds} s after the replay: ${verdict(burst.storedAfterReplaySeconds, targets.replayBurstSeconds, 'at most')}`,
        ]
      : ['burst of test_cdn.csv', why(burst), ''],
  );
  return [
    '## Throughput',
    '',
    'Kafka and InfluxDB run on this machine beside the system. The burst runs on a system that has just',
    `carried ${burst.status === 'measured' ? int(burst.warmupRecords) : 'a few thousand'} warm-up records (connections, consumer groups and JIT in place), as a running system would.`,
    '',
    markdownTable(['what', 'figure', 'against the target'], rows),
    '',
  ];
}

function cpuSection(report: BenchReport): string[] {
  const { cpu } = report.realTime;
  if (cpu.status === 'missing') return ['## CPU per record', '', why(cpu), ''];
  const perRecord = (cores: number) => (cores * cpu.seconds * 1e6) / cpu.records;
  const rows = cpu.parts
    .filter((part) => !part.part.startsWith('machine'))
    .map((part) => [part.part, part.cores.toFixed(2), int(perRecord(part.cores))]);
  rows.push(['all processes above', '', int(cpu.microsPerRecord)]);
  rows.push(['the system alone (without the benchmark)', '', int(cpu.systemMicrosPerRecord)]);
  rows.push(['other work on the machine meanwhile', cpu.otherCores.toFixed(2), 'not counted']);
  return [
    '## CPU per record',
    '',
    `Over the throughput phase (${int(cpu.records)} records in ${cpu.seconds.toFixed(1)} s): CPU time of each process from /proc, per record moved`,
    "end to end. The benchmark's producer and write proxy are counted with the system (conservative).",
    `All processes: **${int(cpu.microsPerRecord)} µs per record** against the target of ${targets.cpuMicrosPerRecord} µs: **${verdict(cpu.microsPerRecord, targets.cpuMicrosPerRecord, 'at most')}**.`,
    '',
    markdownTable(['process', 'cores (average)', 'µs per record'], rows, [1, 2]),
    '',
  ];
}

function budgetCell(stage: StageBudget | undefined, value: (s: StageBudget) => number): string {
  return stage === undefined ? 'n/a' : ms(value(stage));
}

function budgetSection(report: BenchReport): string[] {
  const { budget, steady } = report.realTime;
  if (budget.status === 'missing') return ['## Latency budget per stage', '', why(budget), ''];
  const names = ['provide', 'predict', 'load-data', 'load-predictions'];
  const of = (name: string) => budget.stages.find((stage) => stage.function === name);
  const loader = (name: string) => name.startsWith('load-');
  const influx = (name: string) => {
    if (!loader(name)) return '-';
    const write = report.influxWrite[name];
    if (write === undefined) return 'not measured';
    return write.status === 'measured'
      ? `${ms(write.p50Ms)} (p99 ${ms(write.p99Ms)}), ${int(write.linesPerRequest)} lines`
      : why(write);
  };
  const row = (title: string, cell: (name: string) => string, how: string) => [
    title,
    ...names.map(cell),
    how,
  ];
  const rows = [
    row(
      'fetch wait (ms per record)',
      (name) => (name === 'provide' ? budgetCell(of(name), (s) => s.fetchWaitMs) : 'see visibility'),
      "Kafka timestamp of the input record -> consumed by the connector; for provide the benchmark's producer sent it",
    ),
    row(
      'visibility to read_committed consumers (ms per record)',
      (name) => (name === 'provide' ? 'n/a' : budgetCell(of(name), (s) => s.fetchWaitMs)),
      "the function's fetch wait: its input was produced inside the upstream transaction, so this holds the upstream's produce (after the timestamp) and commit, the marker becoming visible, and the fetch",
    ),
    row(
      'batch wait (ms per record)',
      (name) => budgetCell(of(name), (s) => s.batchWaitMs),
      'consumed -> the cycle that takes it starts (batch max-wait, a cycle still running)',
    ),
    row(
      'queued (ms per cycle)',
      (name) => budgetCell(of(name), (s) => s.queuedMs),
      'waiting for an in-flight slot of the function',
    ),
    row(
      'invoke (ms per cycle)',
      (name) => budgetCell(of(name), (s) => s.invokeMs),
      'the call through the gateway to a replica and its answer',
    ),
    row(
      'InfluxDB write, inside invoke (ms per request)',
      influx,
      "one POST /api/v2/write of a loader cycle's lines straight to InfluxDB, one at a time, measured in this run",
    ),
    row(
      'publish wait (ms per cycle)',
      (name) => budgetCell(of(name), (s) => s.publishWaitMs),
      "waiting for the previous cycle's publish, which commits first",
    ),
    row(
      'produce (ms per cycle)',
      (name) => budgetCell(of(name), (s) => s.produceMs),
      'outputs (and dead letters) sent inside the transaction; 0 for the loaders (sinks)',
    ),
    row(
      'commit (ms per cycle)',
      (name) => budgetCell(of(name), (s) => s.commitMs),
      'offsets sent and the transaction committed (the loaders: offsets committed)',
    ),
    row(
      'cycles / records per cycle',
      (name) => {
        const s = of(name);
        return s === undefined ? 'n/a' : `${int(s.cycles)} / ${int(s.records / s.cycles)}`;
      },
      "the connector's cycles during the phase",
    ),
  ];
  const sum = pathSumMs(budget.stages);
  return [
    '## Latency budget per stage',
    '',
    "During the steady 1,000 records/s phase, from the connector's own metrics (cdnfaas_connector_batch_stage_seconds):",
    'the waits are means per record, the rest means per cycle (a record waits for the whole cycle it is in).',
    '',
    markdownTable(['stage', ...names, 'how it is derived'], rows),
    '',
    `Along the prediction's path (${predictionPath.join(' -> ')}), each moment counted once: the sum of each function's`,
    'fetch (or visibility) wait, batch wait, queued, invoke and publish wait. A downstream visibility wait already holds the',
    "upstream's produce and commit, and load-predictions' publish wait and commit come after the prediction is stored.",
    `Sum of the means: **${ms(sum)} ms**, beside the measured p50 of ${steady.status === 'measured' ? `${ms(steady.p50)} ms` : 'n/a'} (means and a median differ; a large gap is time the metrics do not see).`,
    '',
  ];
}

function echoRow(client: string, part: Measured<EchoAnchorFigures>): string[] {
  return part.status === 'measured'
    ? [
        `echo stage, ${client}, exactly once`,
        int(part.recordsPerSecond),
        `${ms(part.commitLatencyMs.p50)} / ${ms(part.commitLatencyMs.p99)}`,
        `${int(part.transactions)} transactions, ${int(part.cpuMicrosPerRecord)} µs CPU per record${finite(part.oneRecordLatencyMs) ? `, one record ${ms(part.oneRecordLatencyMs)} ms` : ''}`,
      ]
    : [`echo stage, ${client}`, why(part), '', ''];
}

function anchorSection(report: BenchReport): string[] {
  const { javaEos, echoKafkajs, echoLibrdkafka } = report.anchors;
  const rows: string[][] = [
    javaEos.status === 'measured'
      ? [
          'Java kafka-clients, transactional consume-transform-produce',
          int(javaEos.recordsPerSecond),
          `${ms(javaEos.commitLatencyMs.p50)} / ${ms(javaEos.commitLatencyMs.p99)}`,
          `${int(javaEos.records)} records of ${javaEos.recordBytes} bytes, ${javaEos.partitions} partitions, ${int(javaEos.transactions)} transactions (${int(javaEos.recordsPerTransaction)} records each)`,
        ]
      : ['Java kafka-clients, transactional loop', why(javaEos), '', ''],
    echoRow('kafkajs', echoKafkajs),
    echoRow('librdkafka', echoLibrdkafka),
  ];
  const stages = report.realTime.throughputStages;
  const throughput = report.realTime.throughput;
  if (stages.status === 'measured' && throughput.status === 'measured') {
    for (const stage of stages.stages.filter((s) => !s.function.startsWith('load-')))
      rows.push([
        `the pipeline's ${stage.function} (throughput phase)`,
        int(stage.records / throughput.seconds),
        `${ms(stage.commitMs)} (mean)`,
        `${int(stage.cycles)} cycles of ${int(stage.records / stage.cycles)} records; produce ${ms(stage.produceMs)} ms, invoke ${ms(stage.invokeMs)} ms per cycle; records/s over the whole phase, so bounded by the slowest stage`,
      ]);
  } else
    rows.push([
      "the pipeline's exactly-once stages",
      why(stages.status === 'missing' ? stages : throughput),
      '',
      '',
    ]);
  for (const name of ['provide', 'predict']) {
    const stage = report.stages[name];
    if (stage?.status === 'measured')
      rows.push([
        `the pipeline's ${name} alone, one replica`,
        int(stage.recordsPerSecondPerReplica),
        'n/a',
        'a backlog drained through the connector and the gateway, nothing else running',
      ]);
  }
  const c = report.connector;
  if (c.status === 'measured' && finite(c.exactlyOnceRecordsPerSecond))
    rows.push([
      'the connector, echo function, exactly once',
      int(c.exactlyOnceRecordsPerSecond),
      'n/a',
      'npm run bench:connector',
    ]);
  return [
    '## Anchors: one exactly-once hop',
    '',
    'What one exactly-once topic-to-topic hop reaches on this broker in this run, measured with other clients,',
    "beside the pipeline's own exactly-once stages. Commit latency: sending the offsets and committing, per transaction.",
    '',
    markdownTable(['what', 'records/s', 'commit ms p50 / p99', 'conditions'], rows, [1]),
    '',
  ];
}

/** The scaling curve's table and verdict (also printed by `npm run bench:scaling`). */
export function scalingSection(scaling: BenchReport['scaling']): string[] {
  if (scaling.status === 'missing') return ['## Scaling curve', '', why(scaling), ''];
  const rows = scaling.runs.map((run) => {
    if (run.result.status === 'missing')
      return [String(run.partitions), String(run.replicas), why(run.result), '', ''];
    const top = saturation(run.result.cpu, run.replicas, scaling.cores)
      .slice(0, 3)
      .map((s) => `${s.part} ${s.cores.toFixed(2)}/${s.capacity}`)
      .join(', ');
    const machine = run.result.cpu.find((share) => share.part.startsWith('machine'));
    return [
      String(run.partitions),
      String(run.replicas),
      int(run.result.sustainedRecordsPerSecond),
      int(run.result.endToEndRecordsPerSecond),
      `${top}; machine ${machine === undefined ? 'n/a' : machine.cores.toFixed(2)}/${scaling.cores}`,
    ];
  });
  return [
    '## Scaling curve',
    '',
    `The whole system with every function pinned to 1, 2 or 4 replicas (scale.min = scale.max, no autoscaler) and`,
    `its topics at 6 or 12 partitions; ${int(scaling.recordsPerRun)} generated records replayed as fast as possible per run, after a`,
    'short warm-up. Processes closest to the cores they can use (a Node process: 1 core on its main thread; a',
    "function's replicas: one each; Kafka and InfluxDB: every core), as cores used / cores usable.",
    '',
    markdownTable(
      [
        'partitions',
        'replicas per function',
        'sustained records/s',
        'end to end records/s',
        'closest to saturation',
      ],
      rows,
      [0, 1, 2, 3],
    ),
    '',
    scalingVerdict(scaling.runs, scaling.cores),
    '',
  ];
}

/** Every section of the real-time issue, in the order it lists them. */
export function renderRealTime(report: BenchReport): string[] {
  return [
    '## Real-time targets',
    '',
    markdownTable(['target', 'required', 'measured', 'verdict'], targetRows(report)),
    '',
    ...latencySection(report),
    ...throughputSection(report),
    ...cpuSection(report),
    ...budgetSection(report),
    ...anchorSection(report),
    ...scalingSection(report.scaling),
  ];
}
