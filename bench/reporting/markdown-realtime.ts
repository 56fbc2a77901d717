// The sections of bench/REPORT.md the real-time issue asks for, in its order: each figure beside its
// target with MET / NOT MET, latency, throughput and the CPU per process here; the latency budget,
// the anchors and the scaling curve in their own markdown-*.ts. Pure: the report in, Markdown lines out.
import { markdownTable } from '../../chaos/tables.ts';
import { anchorSection } from './markdown-anchors.ts';
import { budgetSection } from './markdown-budget.ts';
import { scalingSection } from './markdown-scaling.ts';
import type { Measured } from './measured.ts';
import type { BenchReport } from './model.ts';
import { finite, int, ms, why } from './realtime-cells.ts';
import { targets } from './realtime.ts';

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
