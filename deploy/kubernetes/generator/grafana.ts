import { stringify } from 'yaml';
import { appLabels, cluster, influxUrl, secrets } from './cluster.ts';
import { httpService, singleReplicaDeployment, type App, type Manifest } from './manifest.ts';
import { dashboardProvisioning } from '../../grafana/generator/queries.ts';

/**
 * Grafana with provisioning: an InfluxDB (Flux) and a Prometheus data source, a dashboard
 * provider, and the dashboards generated as code in deploy/grafana/ packed into a ConfigMap.
 */

export interface Dashboard {
  /** File name, used as the ConfigMap key. */
  file: string;
  json: string;
}

/** Data source uids the generated dashboards refer to. */
export const datasourceUids = { influxdb: 'cdnfaas-influxdb', prometheus: 'cdnfaas-prometheus' } as const;

const labels = appLabels('grafana');
const namespace = cluster.namespaces.cdnfaas;
const app: App = { name: 'grafana', namespace, labels };
/** A ConfigMap holds at most 1 MiB. */
const configMapLimitBytes = 1024 * 1024;

/** A Grafana data source as provisioning files declare it. */
export type Datasource = Record<string, unknown> & { name: string; uid?: string; type: string; url?: string };

/** Used when deploy/grafana has no provisioning file (the uids its dashboards refer to). */
export function defaultDatasources(influx: { org: string; bucket: string }): Datasource[] {
  return [
    {
      name: 'InfluxDB',
      uid: datasourceUids.influxdb,
      type: 'influxdb',
      access: 'proxy',
      isDefault: true,
      jsonData: { version: 'Flux', organization: influx.org, defaultBucket: influx.bucket },
      // Grafana expands $INFLUX_TOKEN from its environment (set from the influxdb-auth Secret).
      secureJsonData: { token: '$INFLUX_TOKEN' },
    },
    { name: 'Prometheus', uid: datasourceUids.prometheus, type: 'prometheus', access: 'proxy' },
  ];
}

const clusterUrls: Record<string, string> = { influxdb: influxUrl, prometheus: cluster.prometheusUrl };

/**
 * The data sources of deploy/grafana/provisioning (names, uids, settings kept, so the dashboards
 * find them) with the cluster's addresses instead of the local ones.
 */
export function grafanaDatasources(datasources: Datasource[]): Manifest {
  const inCluster = datasources.map((d) => {
    const url = clusterUrls[d.type];
    if (url === undefined) throw new Error(`data source ${d.name}: no in-cluster address for type ${d.type}`);
    return { ...d, url };
  });
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'grafana-datasources', namespace, labels },
    data: { 'datasources.yaml': stringify({ apiVersion: 1, datasources: inCluster }, { lineWidth: 0 }) },
  };
}

export function grafanaDashboardProvider(): Manifest {
  const provisioning = dashboardProvisioning({ path: '/var/lib/grafana/dashboards/cdnfaas' });
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'grafana-dashboard-provider', namespace, labels },
    data: { 'cdnfaas.yaml': stringify(provisioning, { lineWidth: 0 }) },
  };
}

export function grafanaDashboards(dashboards: Dashboard[]): Manifest {
  const data = Object.fromEntries(
    [...dashboards].sort((a, b) => (a.file < b.file ? -1 : 1)).map((d) => [d.file, d.json]),
  );
  const bytes = Object.values(data).reduce((sum, json) => sum + Buffer.byteLength(json), 0);
  if (bytes > configMapLimitBytes) {
    throw new Error(
      `the dashboards in deploy/grafana take ${bytes} bytes; a ConfigMap holds at most ${configMapLimitBytes}`,
    );
  }
  for (const file of Object.keys(data)) {
    if (!/^[-._a-zA-Z0-9]+$/.test(file))
      throw new Error(`dashboard file name ${file} is not a valid ConfigMap key`);
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'grafana-dashboards', namespace, labels },
    data,
  };
}

export function grafanaDeployment(): Manifest {
  const fromSecret = (name: string, key: string) => ({ secretKeyRef: { name, key } });
  return singleReplicaDeployment(app, {
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 472, fsGroup: 472 },
      containers: [
        {
          name: 'grafana',
          image: cluster.grafana.image,
          ports: [{ name: 'http', containerPort: cluster.grafana.port }],
          env: [
            {
              name: 'GF_SECURITY_ADMIN_USER',
              valueFrom: fromSecret(secrets.grafanaAdmin.name, secrets.grafanaAdmin.userKey),
            },
            {
              name: 'GF_SECURITY_ADMIN_PASSWORD',
              valueFrom: fromSecret(secrets.grafanaAdmin.name, secrets.grafanaAdmin.passwordKey),
            },
            {
              name: 'INFLUX_TOKEN',
              valueFrom: fromSecret(secrets.influxAuth.name, secrets.influxAuth.tokenKey),
            },
          ],
          volumeMounts: [
            { name: 'storage', mountPath: '/var/lib/grafana' },
            { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
            {
              name: 'dashboard-provider',
              mountPath: '/etc/grafana/provisioning/dashboards',
              readOnly: true,
            },
            { name: 'dashboards', mountPath: '/var/lib/grafana/dashboards/cdnfaas', readOnly: true },
          ],
          readinessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 10 },
          livenessProbe: {
            httpGet: { path: '/api/health', port: 'http' },
            initialDelaySeconds: 30,
            periodSeconds: 10,
          },
          resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        },
      ],
      volumes: [
        // Everything Grafana shows is provisioned from git, so its own state is disposable.
        { name: 'storage', emptyDir: {} },
        { name: 'datasources', configMap: { name: 'grafana-datasources' } },
        { name: 'dashboard-provider', configMap: { name: 'grafana-dashboard-provider' } },
        { name: 'dashboards', configMap: { name: 'grafana-dashboards' } },
      ],
    },
  });
}

export function grafanaService(): Manifest {
  return httpService(app, cluster.grafana.port);
}
