// Consumer lag: per group over time, the Burrow-rule status table and the total.
import type { ChartPanel, StatTile, TablePanel } from '../view-model.ts';
import {
  chart,
  historySeries,
  statusOf,
  table,
  tile,
  valueOf,
  type Status,
  type ViewContext,
} from './context.ts';

function lagStatus(context: ViewContext): Status {
  return statusOf(context.latest?.lag, 'lag', (v) => v.length === 0, 'no consumer groups yet');
}

const lagGroups = (context: ViewContext) => valueOf(context.latest?.lag) ?? [];

export function lagChart(context: ViewContext): ChartPanel {
  return chart(
    {
      id: 'lag',
      title: 'Consumer lag per group',
      description: 'Log-end offset minus committed offset, summed over partitions.',
    },
    'count',
    historySeries(context.history, (p) => p.lag),
    lagStatus(context),
  );
}

export function lagStatusTable(context: ViewContext): TablePanel {
  const groups = lagGroups(context);
  // Every group UNKNOWN: the connector's lag monitor did not answer and lag came from Kafka.
  const withoutStatus = groups.length > 0 && groups.every((g) => g.status === 'UNKNOWN');
  const status: Status = withoutStatus
    ? {
        state: 'ok',
        message: "no Burrow status: the connector's lag monitor does not answer, lag read from Kafka",
      }
    : lagStatus(context);
  return table(
    {
      id: 'lag-status',
      title: 'Lag status (Burrow rules)',
      description: 'Per consumer group: lag and status from the recent commit history.',
    },
    ['function', 'group', 'topic', 'lag', 'status', 'partitions (partition:lag)'],
    groups.map((g) => [
      g.function ?? '',
      g.group,
      g.topic,
      g.totalLag,
      g.status,
      g.partitions
        .map(
          (p) =>
            `${p.partition}:${p.lag}${p.status === 'OK' || p.status === 'UNKNOWN' ? '' : ` ${p.status}`}`,
        )
        .join(' '),
    ]),
    status,
  );
}

export function lagTile(context: ViewContext): StatTile {
  const total = lagGroups(context).reduce((sum, g) => sum + g.totalLag, 0);
  return tile(
    'lag',
    'consumer lag',
    context.latest?.lag?.state === 'ok' ? total : null,
    'count',
    lagStatus(context),
  );
}
