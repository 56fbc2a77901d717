// The page from the state: each tile and panel has its own builder in panels/, one file per
// source; this module only puts them in the page's order.
import type { DashboardState } from './state.ts';
import type { DashboardView, Panel, StatTile } from './view-model.ts';
import type { ViewContext, ViewOptions } from './panels/context.ts';
import {
  functionsTable,
  invocationsChart,
  latencyChart,
  replicasChart,
  replicasTile,
} from './panels/functions.ts';
import { driftTable } from './panels/drift.ts';
import { disksTable, hostChart, networkChart } from './panels/host.ts';
import { lagChart, lagStatusTable, lagTile } from './panels/lag.ts';
import { anomalyChart, anomalyRateTile, clustersChart } from './panels/predictions.ts';
import { storedTable, storedTiles } from './panels/stored.ts';
import { deadLetterTable, deadLetterTile, incomingTile, throughputChart } from './panels/topics.ts';

export { formatBytes, historySeries, type ViewOptions } from './panels/context.ts';

/** The stat tiles, left to right. */
const tiles = (context: ViewContext): StatTile[] => [
  incomingTile(context),
  ...storedTiles(context),
  anomalyRateTile(context),
  deadLetterTile(context),
  lagTile(context),
  replicasTile(context),
];

/** The panels, in the page's order. */
const panelBuilders: ((context: ViewContext) => Panel)[] = [
  throughputChart,
  clustersChart,
  anomalyChart,
  driftTable,
  storedTable,
  lagChart,
  lagStatusTable,
  replicasChart,
  functionsTable,
  invocationsChart,
  latencyChart,
  deadLetterTable,
  hostChart,
  networkChart,
  disksTable,
];

/** Tables with many columns take two grid columns. */
const wideTables = new Set(['lag-status', 'drift']);

/** The whole page from the state: stat tiles, charts and tables, each with its own state. */
export function buildView(state: DashboardState, options: ViewOptions): DashboardView {
  const context: ViewContext = { latest: state.latest, history: state.history, options };
  return {
    at: state.latest?.at ?? Date.now(),
    intervalMs: options.intervalMs,
    stats: tiles(context),
    panels: panelBuilders
      .map((build) => build(context))
      .map((panel) => (wideTables.has(panel.id) ? { ...panel, wide: true } : panel)),
  };
}
