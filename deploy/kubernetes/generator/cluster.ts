/**
 * Choices of the distributed deployment that are not in stack.yml or system/sources.yaml:
 * namespaces, versions of the third-party images, sizes. Kept in one place so the generated
 * manifests change only here or in those two files.
 */
export const cluster = {
  namespaces: {
    /** OpenFaaS's own namespace (gateway, Prometheus, the `basic-auth` secret); the connector runs here. */
    openfaas: 'openfaas',
    /** Where OpenFaaS CE runs functions; the KEDA ScaledObjects must sit beside their Deployments. */
    functions: 'openfaas-fn',
    /** InfluxDB and Grafana. */
    cdnfaas: 'cdnfaas',
    /** The Strimzi Kafka cluster and its topics (the Strimzi operator watches this namespace). */
    kafka: 'kafka',
    /** KEDA's operator, which reads the consumer groups' lag from Kafka. */
    keda: 'keda',
  },
  kafka: {
    name: 'cdnfaas',
    /** Apache Kafka version and KRaft metadata version; the Strimzi release in use must support them. */
    version: '4.1.1',
    metadataVersion: '4.1-IV1',
    /** Dual-role (controller + broker) KRaft nodes. */
    nodes: 3,
    storage: '50Gi',
    replicationFactor: 3,
    minInsyncReplicas: 2,
    /**
     * The one client listener: TLS with SCRAM-SHA-512 users (no plaintext listener at all).
     * Strimzi names its Service <cluster>-kafka-bootstrap and the CA Secret <cluster>-cluster-ca-cert.
     */
    listener: 'tls',
    port: 9093,
  },
  gatewayUrl: 'http://gateway.openfaas.svc.cluster.local:8080',
  influxdb: { image: 'influxdb:2.7.12', storage: '20Gi', port: 8086 },
  /** KEDA's operator pods (its Helm chart's label), the only other Kafka client than the connector. */
  kedaOperatorLabels: { app: 'keda-operator' },
  grafana: { image: 'grafana/grafana:11.6.0', port: 3000 },
  /** OpenFaaS's chart runs Prometheus in its namespace; Grafana reads the function metrics there. */
  prometheusUrl: 'http://prometheus.openfaas.svc.cluster.local:9090',
  connector: {
    /** The connector serves /healthz and /metrics on this port (CONNECTOR_PORT). */
    port: 8082,
  },
  keda: {
    /** Seconds between lag checks. */
    pollingInterval: 10,
    /** Sarama protocol version KEDA's Kafka client speaks; Kafka 4 dropped the pre-2.1 protocol versions of KEDA's default (1.0.0). */
    kafkaProtocolVersion: '3.6.0',
  },
} as const;

export const partOf = { 'app.kubernetes.io/part-of': 'cdnfaas' } as const;

export function appLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, ...partOf };
}

export const kafkaBootstrap = `${cluster.kafka.name}-kafka-bootstrap.${cluster.namespaces.kafka}.svc:${cluster.kafka.port}`;
export const influxUrl = `http://influxdb.${cluster.namespaces.cdnfaas}.svc:${cluster.influxdb.port}`;

/** The connector's consumer group for a function (connectors/kafka: groupIdFor). */
export function consumerGroupFor(functionName: string): string {
  return `cdnfaas-${functionName}`;
}

/** Secrets the manifests refer to; created by hand (README), never generated, never in git. */
export const secrets = {
  /** OpenFaaS's gateway credentials in the openfaas namespace, created by its chart. */
  gatewayBasicAuth: { name: 'basic-auth', userKey: 'basic-auth-user', passwordKey: 'basic-auth-password' },
  /** The InfluxDB token as an OpenFaaS secret (`faas-cli secret create influxdb-token`), also in openfaas. */
  influxToken: { name: 'influxdb-token', key: 'influxdb-token' },
  /** InfluxDB's initial admin user, password and token, in the cdnfaas namespace. */
  influxAuth: {
    name: 'influxdb-auth',
    userKey: 'admin-user',
    passwordKey: 'admin-password',
    tokenKey: 'admin-token',
  },
  grafanaAdmin: { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
  /**
   * A Kafka user's SCRAM password, the same Secret in the kafka namespace (Strimzi's User Operator
   * reads it for the KafkaUser) and in the namespace of the user's pods (Secrets are namespaced).
   */
  kafkaUser: (user: string) => ({ name: `${user}-kafka`, userKey: 'user', passwordKey: 'password' }),
  /** The cluster CA certificate Strimzi generates, copied to the client namespaces (README). */
  kafkaClusterCa: { name: 'cdnfaas-cluster-ca-cert', key: 'ca.crt' },
  /** KEDA's Kafka credentials in openfaas-fn, for the TriggerAuthentication. */
  kedaKafka: { name: 'cdnfaas-keda-kafka', userKey: 'username', passwordKey: 'password', caKey: 'ca' },
} as const;

/** The Kafka users Strimzi creates (KafkaUser resources) and who uses them. */
export const kafkaUsers = {
  connector: 'cdnfaas-connector',
  keda: 'cdnfaas-keda',
} as const;
