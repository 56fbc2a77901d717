import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';

/** Data source uids shared with the Kubernetes manifests' Grafana provisioning. */
export const datasources = {
  influxdb: { type: 'influxdb', uid: 'cdnfaas-influxdb' },
  prometheus: { type: 'prometheus', uid: 'cdnfaas-prometheus' },
} as const satisfies Record<string, DataSourceRef>;

/**
 * A query of Grafana's InfluxDB data source in Flux mode. The SDK ships no InfluxDB query
 * type, so this is its model as the data source stores it: the Flux text in `query`.
 */
export interface InfluxFluxQuery extends cog.Dataquery {
  refId: string;
  datasource: DataSourceRef;
  query: string;
  hide?: boolean;
}

export class FluxQueryBuilder implements cog.Builder<cog.Dataquery> {
  readonly #query: InfluxFluxQuery;

  constructor(flux: string) {
    this.#query = {
      refId: 'A',
      datasource: { ...datasources.influxdb },
      query: flux,
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.#query.refId = refId;
    return this;
  }

  build(): InfluxFluxQuery {
    return this.#query;
  }
}

/** A PromQL range query on the Prometheus data source, with its legend. */
export function promQuery(expr: string, legend: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource({ ...datasources.prometheus })
    .expr(expr)
    .legendFormat(legend)
    .refId(refId)
    .range();
}

/** A Flux query on the InfluxDB data source. */
export function fluxQuery(flux: string, refId = 'A'): FluxQueryBuilder {
  return new FluxQueryBuilder(flux).refId(refId);
}

/** Grafana's Flux variables: the dashboard's time range and the window for its resolution. */
export const grafanaRange = { start: 'v.timeRangeStart', stop: 'v.timeRangeStop' };
export const grafanaWindow = 'v.windowPeriod';

/**
 * Grafana's dashboard provisioning: the cdnfaas folder, read from files, read-only in the UI.
 * Locally the files are the repository's; on Kubernetes a ConfigMap mounted in Grafana.
 */
export function dashboardProvisioning(options: Record<string, unknown>) {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'cdnfaas',
        folder: 'cdnfaas',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        options,
      },
    ],
  };
}
