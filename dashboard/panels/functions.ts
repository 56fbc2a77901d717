// The gateway's side: functions and their replicas, invocations and latency.
import type { ChartPanel, StatTile, TablePanel } from '../view-model.ts';
import { chart, historySeries, statusOf, table, tile, valueOf, type ViewContext } from './context.ts';

function functionStatus(context: ViewContext) {
  return statusOf(context.latest?.functions, 'functions', (v) => v.length === 0, 'no functions deployed');
}

const functionRows = (context: ViewContext) => valueOf(context.latest?.functions) ?? [];

export function replicasTile(context: ViewContext): StatTile {
  const rows = functionRows(context);
  const ready = rows.reduce((s, f) => s + f.availableReplicas, 0);
  const desired = rows.reduce((s, f) => s + f.replicas, 0);
  const known = context.latest?.functions?.state === 'ok';
  return tile(
    'replicas',
    'replicas ready',
    known ? ready : null,
    'count',
    functionStatus(context),
    `of ${desired} desired`,
  );
}

export function replicasChart(context: ViewContext): ChartPanel {
  return chart(
    {
      id: 'replicas',
      title: 'Ready replicas per function',
      description: 'Replicas that passed their health check.',
    },
    'count',
    historySeries(context.history, (p) => p.replicas),
    functionStatus(context),
  );
}

export function functionsTable(context: ViewContext): TablePanel {
  return table(
    {
      id: 'functions',
      title: 'Functions',
      description: 'Deployed functions, their image and replicas (ready / desired).',
    },
    ['function', 'image', 'replicas'],
    functionRows(context).map((f) => [f.name, f.image, `${f.availableReplicas} / ${f.replicas}`]),
    functionStatus(context),
  );
}

const invocations = (context: ViewContext) => historySeries(context.history, (p) => p.invocations);

/** Both metric charts are empty until the first invocation is counted. */
function metricsStatus(context: ViewContext) {
  const none = invocations(context).series.length === 0;
  return statusOf(context.latest?.metrics, 'metrics', () => none, 'no invocations yet');
}

export function invocationsChart(context: ViewContext): ChartPanel {
  return chart(
    {
      id: 'invocations',
      title: 'Invocations/s per function',
      description: 'Rate of gateway_function_invocation_total.',
    },
    'per-second',
    invocations(context),
    metricsStatus(context),
  );
}

export function latencyChart(context: ViewContext): ChartPanel {
  const latency = historySeries(
    context.history,
    (p) =>
      p.latencyMeanMs && {
        ...Object.fromEntries(Object.entries(p.latencyMeanMs).map(([fn, v]) => [`${fn} mean`, v])),
        ...Object.fromEntries(Object.entries(p.latencyP95Ms ?? {}).map(([fn, v]) => [`${fn} p95`, v])),
      },
  );
  return chart(
    {
      id: 'latency',
      title: 'Invocation latency',
      description: 'Mean and p95 of gateway_functions_seconds per refresh interval.',
    },
    'ms',
    latency,
    metricsStatus(context),
  );
}
