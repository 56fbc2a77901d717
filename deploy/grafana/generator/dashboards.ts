import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { cdnClientData } from './dashboards/cdn-client-data.ts';
import { functionsAndReplicas } from './dashboards/functions.ts';
import { kafkaLag } from './dashboards/kafka-lag.ts';
import { predictions } from './dashboards/predictions.ts';

// The generated Grafana dashboards: one builder per dashboard in dashboards/, each a list of
// panel builder calls (panels.ts) with their queries (queries.ts, dashboard/flux.ts).

export interface GeneratedDashboard {
  /** File name under deploy/grafana/dashboards/. */
  file: string;
  dashboard: Dashboard;
}

/** Panels get stable ids in order, as Grafana would assign them on first save. */
function numberPanels(dashboard: Dashboard): Dashboard {
  let id = 1;
  for (const panel of dashboard.panels ?? []) {
    panel.id = id++;
    if ('panels' in panel) for (const inner of panel.panels) inner.id = id++;
  }
  return dashboard;
}

/** Every dashboard, built from the system's bucket. */
export function buildDashboards(bucket: string): GeneratedDashboard[] {
  return [
    { file: 'cdn-client-data.json', dashboard: cdnClientData(bucket) },
    { file: 'predictions.json', dashboard: predictions(bucket) },
    { file: 'kafka-lag.json', dashboard: kafkaLag() },
    { file: 'functions.json', dashboard: functionsAndReplicas() },
  ].map(({ file, dashboard }) => ({ file, dashboard: numberPanels(dashboard) }));
}
