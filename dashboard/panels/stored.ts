// What InfluxDB holds: points per measurement and their growth.
import type { StatTile, TablePanel } from '../view-model.ts';
import { lastOf, round, statusOf, table, tile, valueOf, type ViewContext } from './context.ts';

function storedStatus(context: ViewContext) {
  return statusOf(
    context.latest?.storedCounts,
    'storedCounts',
    (v) => v.every((s) => s.points === 0),
    'no points stored yet',
  );
}

const storedRows = (context: ViewContext) => valueOf(context.latest?.storedCounts) ?? [];

/** One tile per configured measurement. */
export function storedTiles(context: ViewContext): StatTile[] {
  const status = storedStatus(context);
  return context.options.measurements.map((measurement) =>
    tile(
      `stored-${measurement}`,
      `${measurement} stored`,
      storedRows(context).find((s) => s.measurement === measurement)?.points ?? null,
      'count',
      status,
    ),
  );
}

export function storedTable(context: ViewContext): TablePanel {
  const rates = lastOf(context.history, (p) => p.storedRates) ?? {};
  return table(
    {
      id: 'stored',
      title: 'Records stored',
      description: 'Points per InfluxDB measurement over all time, and their growth.',
    },
    ['measurement', 'points', 'points/s'],
    storedRows(context).map((s) => [s.measurement, s.points, round(rates[s.measurement] ?? 0)]),
    storedStatus(context),
  );
}
