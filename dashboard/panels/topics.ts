// The Kafka side of the page: records/s per topic, the incoming rate and the dead-letter topics.
import type { ChartPanel, StatTile, TablePanel } from '../view-model.ts';
import {
  chart,
  historySeries,
  lastOf,
  statusOf,
  table,
  tile,
  valueOf,
  type Status,
  type ViewContext,
} from './context.ts';

const isDlq = (topic: string) => topic.endsWith('.dlq');

function offsetStatus({ latest }: ViewContext): Status {
  return statusOf(latest?.topicOffsets, 'topicOffsets', (v) => v.length === 0, 'no topics yet');
}

export function throughputChart(context: ViewContext): ChartPanel {
  const { incomingTopic } = context.options;
  const throughput = historySeries(
    context.history,
    (p) =>
      p.topicRates && Object.fromEntries(Object.entries(p.topicRates).filter(([topic]) => !isDlq(topic))),
    (topic) => (topic === incomingTopic ? `${topic} (incoming)` : topic),
  );
  return chart(
    {
      id: 'throughput',
      title: 'Records/s per topic',
      description: `Growth of each pipeline topic's end offsets; ${incomingTopic} is the incoming stream.`,
    },
    'per-second',
    throughput,
    offsetStatus(context),
  );
}

export function incomingTile(context: ViewContext): StatTile {
  const { incomingTopic } = context.options;
  const incomingNow = lastOf(context.history, (p) => p.topicRates?.[incomingTopic]);
  return tile(
    'incoming',
    'incoming records/s',
    incomingNow ?? null,
    'per-second',
    offsetStatus(context),
    incomingTopic,
  );
}

const byOffset = 'records counted by end offset: transaction markers included';

/**
 * The dead-letter topics and their record counts: exact counts where a dead-letter counter runs,
 * else end offsets, which count commit markers too.
 */
function deadLetterCounts(context: ViewContext) {
  const offsets = context.latest?.topicOffsets;
  const deadLetters = context.latest?.deadLetters;
  const counted = valueOf(deadLetters);
  const exact = counted && new Map(counted.map((d) => [d.topic, d.records]));
  const status = offsetStatus(context);
  const tableStatus: Status =
    exact || status.state !== 'ok'
      ? status
      : {
          state: 'ok',
          message:
            deadLetters?.state === 'error'
              ? `dead-letter counts unavailable (${deadLetters.message}); ${byOffset}`
              : byOffset,
        };
  return {
    topics: (valueOf(offsets) ?? []).filter((t) => isDlq(t.topic)),
    records: (topic: string, endOffset: number) => (exact ? (exact.get(topic) ?? 0) : endOffset),
    known: offsets?.state === 'ok' || exact !== undefined,
    tileStatus: status,
    tableStatus,
  };
}

export function deadLetterTile(context: ViewContext): StatTile {
  const dlq = deadLetterCounts(context);
  const total = dlq.topics.reduce((sum, t) => sum + dlq.records(t.topic, t.endOffset), 0);
  return tile('dlq', 'DLQ records', dlq.known ? total : null, 'count', dlq.tileStatus);
}

export function deadLetterTable(context: ViewContext): TablePanel {
  const dlq = deadLetterCounts(context);
  return table(
    {
      id: 'dlq',
      title: 'Dead-letter topics',
      description:
        'Records rejected by a function, per *.dlq topic: read and counted (read_committed), beside the end offset, which also counts transaction markers.',
    },
    ['topic', 'records', 'end offset'],
    dlq.topics.map((t) => [t.topic, dlq.records(t.topic, t.endOffset), t.endOffset]),
    dlq.tableStatus,
  );
}
