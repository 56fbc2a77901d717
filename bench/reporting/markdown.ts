// bench/REPORT.md from the report: every figure beside the limit measured in the same run. Pure.
import { markdownTable } from '../../chaos/tables.ts';
import { renderRealTime } from './markdown-realtime.ts';
import type { Measured } from './measured.ts';
import type { BenchReport, Ratio } from './model.ts';

const int = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) ? 'n/a' : Math.round(n).toLocaleString('en-US');
const ms = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n)
    ? 'n/a'
    : n < 10
      ? n.toFixed(2)
      : Math.round(n).toLocaleString('en-US');
const s = (n: number | null | undefined) =>
  n === undefined || n === null || !Number.isFinite(n) ? 'n/a' : n.toFixed(1);
const pct = (r: Ratio) => {
  const percent = r.ratio * 100;
  const shown = percent < 0.1 ? '< 0.1' : percent.toFixed(percent < 10 ? 1 : 0);
  return `${shown} % of ${r.limit} (${int(r.limitValue)})`;
};

function ratios(list: Ratio[]): string {
  return list.length === 0 ? 'no limit measured' : list.map(pct).join('; ');
}

function influxRow(title: string, limit: BenchReport['limits']['influxdb']): string[] {
  if (limit.status === 'missing') return [title, missing(limit)!, 'POST /api/v2/write'];
  return [
    title,
    `${int(limit.sequentialPointsPerSecond)} points/s (one request in flight), ${int(limit.parallelPointsPerSecond)} points/s (${limit.parallel} in flight)`,
    `the loaders' line protocol, POST /api/v2/write, ${int(limit.linesPerRequest)} lines per request, ${int(limit.points)} points`,
  ];
}

function missing(part: Measured<object>): string | undefined {
  return part.status === 'missing' ? `missing: ${part.reason}` : undefined;
}

/** A part's row of figures, or its title and why it is missing. */
function partRow<T>(part: Measured<T>, title: string, row: (figures: T) => string[]): string[] {
  return part.status === 'measured' ? row(part) : [title, missing(part)!, ''];
}

export function renderReport(report: BenchReport): string {
  const { machine: m, limits } = report;
  const lines: string[] = [
    '# cdnfaas benchmark report',
    '',
    `Measured ${report.at} by \`npm run bench\` in ${Math.round(report.seconds)} s. Every figure of a part stands beside the limit`,
    'measured in the same run on the same machine; the ratios say how much of that limit the part reaches. Raw',
    'figures are in bench/REPORT.json; each benchmark also writes its own bench/out/<name>.json.',
    '',
    ...renderRealTime(report),
    '## Machine',
    '',
    markdownTable(
      ['', ''],
      [
        ['CPU', `${m.cpuModel}, ${m.cores} cores`],
        ['memory', `${m.memoryGiB} GiB`],
        ['OS', m.os],
        ['Node.js', m.node],
        ['Java', m.java],
        ['Kafka', m.kafka],
        ['InfluxDB', m.influxdb],
        ['kcat', m.kcat],
        ['onnxruntime-node', m.onnxruntime],
        [
          'load average (1 min)',
          `${m.loadAverage.start} at the start, ${m.loadAverage.end ?? 'n/a'} at the end (other work on this machine skews every figure)`,
        ],
      ],
    ),
    '',
    '## Limits of this machine',
    '',
    markdownTable(
      ['limit', 'figure', 'how'],
      [
        limits.kafka.status === 'measured'
          ? [
              'Kafka pass-through',
              `${int(limits.kafka.passThroughRecordsPerSecond)} records/s`,
              `kcat -C \\| kcat -P between two topics of ${limits.kafka.partitions} partitions, ${int(limits.kafka.records)} records of ${limits.kafka.recordBytes} bytes (produce alone ${int(limits.kafka.produceRecordsPerSecond)}/s, consume alone ${int(limits.kafka.consumeRecordsPerSecond)}/s)`,
            ]
          : ['Kafka pass-through', missing(limits.kafka)!, 'kcat'],
        influxRow('InfluxDB writes, cdn_client_data points', limits.influxdb),
        influxRow('InfluxDB writes, predictions points', limits.influxdbPredictions),
        limits.onnxruntime.status === 'measured'
          ? [
              'onnxruntime',
              `${int(limits.onnxruntime.rawRowsPerSecond)} rows/s (session.run), ${int(limits.onnxruntime.scoredRowsPerSecond)} rows/s with featurizing`,
              `model ${limits.onnxruntime.model}, batches of ${limits.onnxruntime.batch}, one thread`,
            ]
          : ['onnxruntime', missing(limits.onnxruntime)!, 'session.run'],
      ],
    ),
    '',
    '## Throughput beside the limits',
    '',
  ];
  const rows: string[][] = [];
  const g = report.gateway;
  rows.push(
    g.status === 'measured'
      ? [
          `gateway, trivial function, ${g.connections} connections`,
          `${int(g.gatewayRequestsPerSecond)} requests/s`,
          ratios(g.ratios),
        ]
      : ['gateway', missing(g)!, ''],
  );
  const c = report.connector;
  if (c.status === 'measured') {
    rows.push([
      'connector, echo stage, exactly once',
      `${int(c.exactlyOnceRecordsPerSecond)} records/s`,
      ratios(c.ratios.filter((r) => !r.limit.includes('at least once'))),
    ]);
    rows.push([
      'connector, echo stage, at least once',
      `${int(c.atLeastOnceRecordsPerSecond)} records/s`,
      ratios(c.ratios.filter((r) => r.limit.includes('at least once'))),
    ]);
  } else rows.push(['connector', missing(c)!, '']);
  for (const [name, stage] of Object.entries(report.stages)) {
    rows.push(
      stage.status === 'measured'
        ? [
            `stage ${name}, one replica`,
            `${int(stage.recordsPerSecondPerReplica)} records/s`,
            ratios(stage.ratios),
          ]
        : [`stage ${name}`, missing(stage)!, ''],
    );
  }
  const p = report.pipeline;
  rows.push(
    p.status === 'measured'
      ? [
          `whole pipeline, ${int(p.records)} records replayed`,
          `${int(p.endToEndRecordsPerSecond)} records/s end to end (${int(p.sustainedRecordsPerSecond)} sustained)`,
          ratios(p.ratios),
        ]
      : ['whole pipeline', missing(p)!, ''],
  );
  lines.push(
    markdownTable(['part', 'figure', 'beside the limit'], rows),
    '',
    '## Latency, cold start, scaling, rollback',
    '',
  );

  const ops: string[][] = [];
  if (c.status === 'measured' && c.latencyMs)
    ops.push([
      'connector, echo stage, end to end',
      `p50 ${ms(c.latencyMs.p50)} ms, p99 ${ms(c.latencyMs.p99)} ms, max ${ms(c.latencyMs.max)} ms`,
      `${int(c.latencyMs.rate)} records/s, produce -> read_committed consumer`,
    ]);
  if (p.status === 'measured')
    ops.push([
      'whole pipeline, end to end',
      `p50 ${ms(p.latencyMs.p50)} ms, p99 ${ms(p.latencyMs.p99)} ms`,
      `${int(p.latencyMs.rate)} records/s, raw record due -> prediction stored`,
    ]);
  ops.push(
    partRow(report.coldStart, 'cold start', (cold) => [
      'cold start (deploy -> first 200)',
      `${ms(cold.trivialMedianMs)} ms trivial function, ${ms(cold.modelMedianMs)} ms with an ONNX model`,
      `medians of ${cold.trivialRunsMs.length} runs`,
    ]),
    partRow(report.autoscaler, 'autoscaler reaction', (a) => [
      'autoscaler reaction',
      `${s(a.scaleDecisionSeconds)} s to the scale decision, ${s(a.newReplicaServingSeconds)} s to a new replica serving`,
      `burst of ${int(a.burst)} records into ${a.function}, lag target ${int(a.lagTarget)}, from the first lag reading over it; peak lag ${int(a.peakLag)}, up to ${a.maxReplicas} replicas`,
    ]),
    partRow(report.httpAutoscaling, 'HTTP autoscaling', (h) => [
      'HTTP autoscaling (APIHighInvocationRate)',
      `${h.timeToMaxMs === undefined ? 'max not reached' : `${s(h.timeToMaxMs / 1000)} s to ${h.max} replicas`} under load, ${h.timeBackToMinMs === undefined ? 'min not reached' : `${s(h.timeBackToMinMs / 1000)} s back to ${h.min}`} after it; ${int(h.failed)} failed of ${int(h.requests)} calls`,
      `${int(h.ratePerSecond)} calls/s to a function without a topic, scale min ${h.min}, max ${h.max}, factor ${h.factor} %; the gateway evaluating OpenFaaS's rule (10 s rate > 5/s per replica for 5 s, repeat 30 s); replicas ${h.steps.map((step) => step.replicas).join(' -> ')}`,
    ]),
    partRow(report.rollback, 'rollback under load', (r) => [
      'rollback under load',
      `${int(r.failed)} failed of ${int(r.requests)} calls; p99 ${ms(r.before.p99)} ms before, ${ms(r.during.p99)} ms during (max ${ms(r.during.max)} ms)`,
      `provide, 2 replicas, ${int(r.rate)} calls/s open loop, previous tag deployed (PUT answered in ${ms(r.deployAnsweredSeconds * 1000)} ms)`,
    ]),
  );
  lines.push(markdownTable(['what', 'figure', 'conditions'], ops), '');
  lines.push(
    '## Reproduce',
    '',
    '`npm run bench` (about 20 minutes; Kafka and InfluxDB come from `npx cdnfaas services up`, kcat from `apt-get install -y kcat`).',
    'Single parts: `npm run bench:gateway`, `npm run bench:connector`, `npm run bench:pipeline`, `npm run bench:scaling`,',
    '`npx tsx bench/anchors/java-eos.ts`, `npx tsx bench/anchors/echo.ts`. `npx cdnfaas k8s capacity` reads',
    '`stages.<function>.recordsPerSecondPerReplica` from bench/REPORT.json.',
    '',
  );
  return lines.join('\n');
}
