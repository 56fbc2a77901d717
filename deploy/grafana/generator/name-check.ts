import { fluxNames, promNames } from './query-names.ts';
import type { MeasurementNames, MetricNames } from './written-names.ts';

export interface DashboardTarget {
  datasource?: { type?: string };
  query?: string;
  expr?: string;
}

/** Every query of a dashboard's panels (rows included). */
export function targetsOf(dashboard: {
  panels?: { targets?: DashboardTarget[]; panels?: { targets?: DashboardTarget[] }[] }[];
}): DashboardTarget[] {
  return (dashboard.panels ?? []).flatMap((panel) => [
    ...(panel.targets ?? []),
    ...(panel.panels ?? []).flatMap((inner) => inner.targets ?? []),
  ]);
}

function histogramBase(name: string, metrics: Map<string, MetricNames>): MetricNames | undefined {
  const match = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = match ? metrics.get(match[1]!) : undefined;
  return base && (base.type === 'histogram' || base.type === 'summary') ? base : undefined;
}

/** Names a query reads that the system does not write, each as a sentence; none means the query can find data. */
export function unknownNames(
  target: DashboardTarget,
  measurements: MeasurementNames[],
  metrics: MetricNames[],
): string[] {
  const problems: string[] = [];
  if (target.datasource?.type === 'influxdb') {
    const names = fluxNames(target.query ?? '');
    if (names.measurements.length === 0) problems.push(`Flux query names no measurement: ${target.query}`);
    const read = measurements.filter((m) => names.measurements.includes(m.measurement));
    for (const name of names.measurements)
      if (!read.some((m) => m.measurement === name)) problems.push(`measurement ${name} is not written`);
    for (const field of names.fields)
      if (!read.some((m) => m.fields.includes(field)))
        problems.push(`field ${field} is not written to ${names.measurements.join(', ')}`);
    for (const tag of names.tags)
      if (!read.some((m) => m.tags.includes(tag)))
        problems.push(`tag ${tag} is not written to ${names.measurements.join(', ')}`);
    return problems;
  }
  if (target.datasource?.type === 'prometheus') {
    const byName = new Map(metrics.map((metric) => [metric.name, metric]));
    const names = promNames(target.expr ?? '');
    if (names.metrics.length === 0) problems.push(`PromQL names no metric: ${target.expr}`);
    for (const name of names.metrics) {
      const metric = byName.get(name) ?? histogramBase(name, byName);
      if (!metric) {
        problems.push(`metric ${name} is not registered by any service`);
        continue;
      }
      for (const label of names.labels)
        if (!metric.labels.includes(label)) problems.push(`metric ${name} has no label ${label}`);
    }
    return problems;
  }
  return [`query on an unknown data source type ${target.datasource?.type}`];
}
