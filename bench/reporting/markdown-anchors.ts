// The anchors of bench/REPORT.md: what one exactly-once hop reaches with other clients on the same
// broker, beside the pipeline's own exactly-once stages. Pure: the report in, Markdown lines out.
import { markdownTable } from '../../chaos/tables.ts';
import type { Measured } from './measured.ts';
import type { BenchReport, EchoAnchorFigures } from './model.ts';
import { finite, int, ms, why } from './realtime-cells.ts';

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

export function anchorSection(report: BenchReport): string[] {
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
