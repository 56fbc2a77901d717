import { appLabels, cluster } from './cluster.ts';
import type { Manifest } from './manifest.ts';

/**
 * Who may reach Kafka and InfluxDB. Kafka's peers go into its Strimzi listener (Strimzi writes the
 * NetworkPolicy); InfluxDB gets a NetworkPolicy of its own. Pods are matched by namespace and
 * label, so a new pod elsewhere in the cluster reaches neither.
 */

type Peer = Record<string, unknown>;

function podsIn(namespace: string, labels: Record<string, string>): Peer {
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    podSelector: { matchLabels: labels },
  };
}

/** The connector (consumes, produces, commits) and KEDA's operator (reads the groups' lag). */
export function kafkaClientPeers(): Peer[] {
  return [
    podsIn(cluster.namespaces.openfaas, { 'app.kubernetes.io/name': 'cdnfaas-connector' }),
    podsIn(cluster.namespaces.keda, cluster.kedaOperatorLabels),
  ];
}

/**
 * InfluxDB answers only the functions that write to it (those given the InfluxDB token secret in
 * stack.yml, matched by OpenFaaS's faas_function label) and Grafana, which reads it.
 */
export function influxdbNetworkPolicy(writers: string[]): Manifest {
  if (writers.length === 0) throw new Error('no function in stack.yml has the influxdb-token secret');
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'influxdb-clients',
      namespace: cluster.namespaces.cdnfaas,
      labels: appLabels('influxdb'),
    },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'influxdb' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': cluster.namespaces.functions },
              },
              podSelector: {
                matchExpressions: [{ key: 'faas_function', operator: 'In', values: [...writers].sort() }],
              },
            },
            { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } } },
          ],
          ports: [{ protocol: 'TCP', port: cluster.influxdb.port }],
        },
      ],
    },
  };
}
