import { appLabels, cluster, secrets } from './cluster.ts';
import type { Manifest } from './manifest.ts';

/** InfluxDB 2.x as a one-replica StatefulSet with a volume, set up on first start from a Secret. */

const labels = appLabels('influxdb');
const selector = { 'app.kubernetes.io/name': 'influxdb' };

const fromSecret = (key: string) => ({ secretKeyRef: { name: secrets.influxAuth.name, key } });

export function influxdbStatefulSet(influx: { org: string; bucket: string }): Manifest {
  const probe = { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10 };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'influxdb', namespace: cluster.namespaces.cdnfaas, labels },
    spec: {
      serviceName: 'influxdb',
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { fsGroup: 1000 },
          containers: [
            {
              name: 'influxdb',
              image: cluster.influxdb.image,
              ports: [{ name: 'http', containerPort: cluster.influxdb.port }],
              env: [
                { name: 'DOCKER_INFLUXDB_INIT_MODE', value: 'setup' },
                { name: 'DOCKER_INFLUXDB_INIT_USERNAME', valueFrom: fromSecret(secrets.influxAuth.userKey) },
                {
                  name: 'DOCKER_INFLUXDB_INIT_PASSWORD',
                  valueFrom: fromSecret(secrets.influxAuth.passwordKey),
                },
                {
                  name: 'DOCKER_INFLUXDB_INIT_ADMIN_TOKEN',
                  valueFrom: fromSecret(secrets.influxAuth.tokenKey),
                },
                { name: 'DOCKER_INFLUXDB_INIT_ORG', value: influx.org },
                { name: 'DOCKER_INFLUXDB_INIT_BUCKET', value: influx.bucket },
              ],
              volumeMounts: [
                { name: 'data', mountPath: '/var/lib/influxdb2', subPath: 'data' },
                { name: 'data', mountPath: '/etc/influxdb2', subPath: 'config' },
              ],
              readinessProbe: probe,
              livenessProbe: { ...probe, initialDelaySeconds: 30 },
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: cluster.influxdb.storage } },
          },
        },
      ],
    },
  };
}

export function influxdbService(): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'influxdb', namespace: cluster.namespaces.cdnfaas, labels },
    spec: { selector, ports: [{ name: 'http', port: cluster.influxdb.port, targetPort: 'http' }] },
  };
}
