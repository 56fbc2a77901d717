import { stringify } from 'yaml';
import type { Sources } from '../../../system/config.ts';
import { appLabels, cluster, influxUrl, kafkaBootstrap, kafkaUsers, secrets } from './cluster.ts';
import { httpService, singleReplicaDeployment, type App, type Manifest } from './manifest.ts';

/**
 * The cdnfaas Kafka connector as a Deployment in the openfaas namespace, beside the gateway
 * and its `basic-auth` Secret. Its configuration is system/sources.yaml with the cluster's
 * addresses, from a ConfigMap; credentials come from Secrets mounted as files.
 */

const labels = appLabels('cdnfaas-connector');
const namespace = cluster.namespaces.openfaas;
const app: App = { name: 'cdnfaas-connector', namespace, labels };
const configDir = '/etc/cdnfaas';
const gatewaySecretDir = '/var/secrets/gateway';
const influxSecretDir = '/var/openfaas/secrets';
const kafkaSecretDir = '/var/secrets/kafka';
const kafkaCaDir = '/var/secrets/kafka-ca';
const kafkaSecret = secrets.kafkaUser(kafkaUsers.connector);

/**
 * system/sources.yaml as the cluster sees it: same topics, in-cluster addresses, secrets as files.
 * The local-only keys (connector, prometheus, alertmanager ports) are left out: the cluster has
 * its own Prometheus, and the loader's defaults fill them.
 */
type ClusterSources = Omit<Sources, 'connector' | 'prometheus' | 'alertmanager' | 'secure' | 'kafka'> & {
  kafka: Omit<Sources['kafka'], 'nodes' | 'controllerPorts' | 'security'> & {
    security: NonNullable<Sources['kafka']['security']>;
  };
};

export function clusterSources(sources: Sources): ClusterSources {
  // Only the keys of sources.yaml: the loaded config also carries machine-local paths (home, cache).
  // The local node count does not apply to the cluster (Strimzi sizes it).
  const { nodes: _nodes, controllerPorts: _controllerPorts, security: _security, ...kafka } = sources.kafka;
  return {
    kafka: {
      ...kafka,
      brokers: [kafkaBootstrap],
      // The cluster's Kafka serves only TLS with SCRAM users, whatever the local setting.
      security: {
        protocol: 'SASL_SSL',
        mechanism: 'SCRAM-SHA-512',
        caFile: `${kafkaCaDir}/${secrets.kafkaClusterCa.key}`,
        userFile: `${kafkaSecretDir}/${kafkaSecret.userKey}`,
        passwordFile: `${kafkaSecretDir}/${kafkaSecret.passwordKey}`,
      },
    },
    influxdb: {
      ...sources.influxdb,
      url: influxUrl,
      tokenFile: `${influxSecretDir}/${secrets.influxToken.key}`,
    },
    gateway: { port: 8080 },
  };
}

export function connectorConfigMap(sources: Sources): Manifest {
  const header = '# system/sources.yaml for the cluster (generated from the repository copy).\n';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cdnfaas-connector', namespace, labels },
    data: { 'sources.yaml': header + stringify(clusterSources(sources), { lineWidth: 0 }) },
  };
}

export function connectorDeployment(image: string): Manifest {
  const probe = (path: string) => ({ httpGet: { path, port: 'http' }, periodSeconds: 10 });
  return singleReplicaDeployment(app, {
    annotations: {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(cluster.connector.port),
    },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 },
      // The connector stops consuming, finishes in-flight batches and commits on SIGTERM.
      terminationGracePeriodSeconds: 60,
      containers: [
        {
          name: 'connector',
          image,
          // Listen beyond loopback for the kubelet's probes and Prometheus; KEDA scales here, so the
          // connector's own autoscaler stays off.
          args: ['connector', '--host', '0.0.0.0', '--no-autoscale'],
          ports: [{ name: 'http', containerPort: cluster.connector.port }],
          env: [
            { name: 'CDNFAAS_SOURCES', value: `${configDir}/sources.yaml` },
            { name: 'CONNECTOR_PORT', value: String(cluster.connector.port) },
            { name: 'OPENFAAS_URL', value: cluster.gatewayUrl },
            {
              name: 'OPENFAAS_USER',
              valueFrom: {
                secretKeyRef: {
                  name: secrets.gatewayBasicAuth.name,
                  key: secrets.gatewayBasicAuth.userKey,
                },
              },
            },
            {
              name: 'OPENFAAS_PASSWORD_FILE',
              value: `${gatewaySecretDir}/${secrets.gatewayBasicAuth.passwordKey}`,
            },
            { name: 'INFLUX_TOKEN_FILE', value: `${influxSecretDir}/${secrets.influxToken.key}` },
          ],
          volumeMounts: [
            { name: 'config', mountPath: configDir, readOnly: true },
            { name: 'gateway-auth', mountPath: gatewaySecretDir, readOnly: true },
            { name: 'influxdb-token', mountPath: influxSecretDir, readOnly: true },
            { name: 'kafka-user', mountPath: kafkaSecretDir, readOnly: true },
            { name: 'kafka-ca', mountPath: kafkaCaDir, readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
          readinessProbe: probe('/healthz'),
          livenessProbe: { ...probe('/healthz'), initialDelaySeconds: 15 },
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
      volumes: [
        { name: 'config', configMap: { name: 'cdnfaas-connector' } },
        { name: 'gateway-auth', secret: { secretName: secrets.gatewayBasicAuth.name } },
        // Optional: only needed if the connector writes to InfluxDB itself.
        { name: 'influxdb-token', secret: { secretName: secrets.influxToken.name, optional: true } },
        // The connector's SCRAM user and password, and the CA that signed the brokers' certificates.
        { name: 'kafka-user', secret: { secretName: kafkaSecret.name } },
        { name: 'kafka-ca', secret: { secretName: secrets.kafkaClusterCa.name } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  });
}

export function connectorService(): Manifest {
  return httpService(app, cluster.connector.port);
}
