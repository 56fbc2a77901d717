// The latency budget per stage of bench/REPORT.md: each function's waits and steps in the steady
// phase, from the connector's own metrics. Pure: the report in, Markdown lines out.
import { markdownTable } from '../../chaos/tables.ts';
import type { BenchReport } from './model.ts';
import { int, ms, why } from './realtime-cells.ts';
import { pathSumMs, predictionPath, type StageBudget } from './realtime.ts';

function budgetCell(stage: StageBudget | undefined, value: (s: StageBudget) => number): string {
  return stage === undefined ? 'n/a' : ms(value(stage));
}

type TimedStep = 'batchWaitMs' | 'queuedMs' | 'invokeMs' | 'publishWaitMs' | 'produceMs' | 'commitMs';

/** How the connector times each step it reports, as the table says beside the figure. */
const timedStepDerivation: Record<TimedStep, string> = {
  batchWaitMs: 'consumed -> the cycle that takes it starts (batch max-wait, a cycle still running)',
  queuedMs: 'waiting for an in-flight slot of the function',
  invokeMs: 'the call through the gateway to a replica and its answer',
  publishWaitMs: "waiting for the previous cycle's publish, which commits first",
  produceMs:
    'outputs (and dead letters) handed to the Kafka client inside the transaction (librdkafka queues them and sends them during the commit, kafkajs sends them here); 0 for the loaders (sinks)',
  commitMs:
    'offsets sent and the transaction committed, with librdkafka also the outputs sent (the loaders: offsets committed)',
};

export function budgetSection(report: BenchReport): string[] {
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
  const timed = (title: string, step: TimedStep) =>
    row(title, (name) => budgetCell(of(name), (stage) => stage[step]), timedStepDerivation[step]);
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
    timed('batch wait (ms per record)', 'batchWaitMs'),
    timed('queued (ms per cycle)', 'queuedMs'),
    timed('invoke (ms per cycle)', 'invokeMs'),
    row(
      'InfluxDB write, inside invoke (ms per request)',
      influx,
      "one POST /api/v2/write of a loader cycle's lines straight to InfluxDB, one at a time, measured in this run",
    ),
    timed('publish wait (ms per cycle)', 'publishWaitMs'),
    timed('produce (ms per cycle)', 'produceMs'),
    timed('commit (ms per cycle)', 'commitMs'),
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
